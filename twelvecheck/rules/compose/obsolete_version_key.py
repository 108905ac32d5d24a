from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from twelvecheck.findings import Finding
from twelvecheck.rules._fixes import delete_lines, make_fix, source_lines
from twelvecheck.rules.base import Rule


class ObsoleteVersionKey(Rule):
    """The top-level `version:` key, which the compose specification ignores.

    ## What it does
    Flags `version:` at the top of a compose file.

    ## Why is this bad?
    Compose v2 ignores it and warns ("the attribute `version` is obsolete"); it suggests a file
    format that is no longer chosen that way.

    ## Example
    ```yaml
    version: "3.8"
    services:
      web:
        image: example/web:2.0
    ```

    Use instead:
    ```yaml
    services:
      web:
        image: example/web:2.0
    ```

    ## Fix safety
    Safe: compose ignores the key. The fix deletes its line (a comment on that line goes with
    it) when the key and its value are alone on one line.
    """

    code = "DC015"
    name = "obsolete-version-key"
    severity = "info"
    kind = "compose"
    fixable = True

    def check(self, ctx) -> Iterator[Finding]:
        for compose_file in ctx.project.files:
            root = compose_file.raw_root
            key = root.key("version") if hasattr(root, "key") else None
            if key is not None:
                finding = ctx.finding(key, "the top-level 'version' key is obsolete and ignored",
                                      hint="delete the version line")
                yield replace(finding, fix=_delete_version(compose_file.path, key, root.get("version")))


def _delete_version(path, key, value):
    lines = source_lines(path)
    line = key.span.line
    if value is None or value.span.end_line != line or not 0 < line <= len(lines):
        return None
    if not lines[line - 1].startswith(("version", "'version'", '"version"')):  # top level, alone
        return None
    return make_fix("delete the version line", delete_lines(line, line))
