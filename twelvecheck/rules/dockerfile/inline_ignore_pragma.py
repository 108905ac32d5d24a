from __future__ import annotations

import re
from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import DockerfileRule
from twelvecheck.lazy_re import lazy_compile

_IGNORE_PRAGMA = lazy_compile(r"^(hadolint|twelvecheck)\s+(global\s+)?ignore\s*=", re.IGNORECASE)


class InlineIgnorePragma(DockerfileRule):
    """An inline ignore pragma (`# hadolint ignore=…`, `# twelvecheck ignore=…`).

    ## What it does
    Off by default. Flags every inline or global ignore pragma, for teams that want all
    exceptions in the configuration file where they are reviewed together.

    ## Why is this bad?
    Inline pragmas scatter exceptions across files; nobody sees how many there are.

    ## Example
    ```dockerfile
    FROM debian:12-slim
    # hadolint ignore=DL3008
    RUN apt-get update && apt-get install -y --no-install-recommends curl
    ```

    Use instead:
    ```dockerfile
    FROM debian:12-slim
    RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8
    ```

    ## References
    - [hadolint DL1001](https://github.com/hadolint/hadolint/wiki/DL1001)
    """

    code = "DF031"
    name = "inline-ignore-pragma"
    severity = "style"
    aliases = {"hadolint": ("DL1001",)}
    enabled_by_default = False

    def check(self, ctx) -> Iterator[Finding]:
        for comment in ctx.dockerfile.comments:
            match = _IGNORE_PRAGMA.match(comment.text)
            if match:
                yield Finding(comment.span, f"inline {match.group(1).lower()} ignore pragma",
                              hint="move the exception to the configuration file (ignore or per-rule ignore_paths)")
