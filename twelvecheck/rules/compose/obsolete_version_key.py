from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
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
    """

    code = "DC015"
    name = "obsolete-version-key"
    severity = "info"
    kind = "compose"

    def check(self, ctx) -> Iterator[Finding]:
        for compose_file in ctx.project.files:
            root = compose_file.raw_root
            key = root.key("version") if hasattr(root, "key") else None
            if key is not None:
                yield ctx.finding(key, "the top-level 'version' key is obsolete and ignored",
                                  hint="delete the version line")
