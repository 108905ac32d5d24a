from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Edit, Finding, Fix
from twelvecheck.rules.base import InstructionRule


class MaintainerDeprecated(InstructionRule):
    """The deprecated `MAINTAINER` instruction.

    ## What it does
    Flags `MAINTAINER` and offers the `LABEL` that replaces it.

    ## Why is this bad?
    `MAINTAINER` has been deprecated since Docker 1.13; tools read the
    `org.opencontainers.image.authors` label instead.

    ## Example
    ```dockerfile
    FROM alpine:3.20
    MAINTAINER Jane Doe <jane@example.com>
    ```

    Use instead:
    ```dockerfile
    FROM alpine:3.20
    LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"
    ```

    ## Fix safety
    Safe: the label carries the same text.

    ## References
    - [hadolint DL4000](https://github.com/hadolint/hadolint/wiki/DL4000)
    - [BuildKit MaintainerDeprecated](https://docs.docker.com/reference/build-checks/maintainer-deprecated/)
    """

    code = "DF006"
    name = "maintainer-deprecated"
    severity = "warning"
    fixable = True
    aliases = {"hadolint": ("DL4000",), "buildkit": ("MaintainerDeprecated",)}
    keywords = frozenset({"MAINTAINER"})

    def check_instruction(self, ctx, instruction) -> Iterator[Finding]:
        author = instruction.text.replace("\\", "\\\\").replace('"', '\\"')
        fix = Fix("replace MAINTAINER with an authors LABEL",
                  (Edit(instruction.span, f'LABEL org.opencontainers.image.authors="{author}"'),))
        yield Finding(instruction.span, "MAINTAINER is deprecated",
                      hint='use LABEL org.opencontainers.image.authors="…"', fix=fix)
