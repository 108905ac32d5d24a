from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import InstructionRule

FORBIDDEN = frozenset({"ONBUILD", "FROM", "MAINTAINER"})


class OnbuildForbiddenTrigger(InstructionRule):
    """`ONBUILD` with a trigger it may not hold: `ONBUILD`, `FROM` or `MAINTAINER`.

    ## What it does
    Flags `ONBUILD ONBUILD …`, `ONBUILD FROM …` and `ONBUILD MAINTAINER …`.

    ## Why is this bad?
    The builder refuses these triggers, so the image built on top of this one fails.

    ## Example
    ```dockerfile
    FROM node:22-slim
    ONBUILD FROM node:22-slim
    ```

    Use instead:
    ```dockerfile
    FROM node:22-slim
    ONBUILD COPY . /app/
    ```

    ## References
    - [hadolint DL3043](https://github.com/hadolint/hadolint/wiki/DL3043)
    """

    code = "DF018"
    name = "onbuild-forbidden-trigger"
    severity = "error"
    aliases = {"hadolint": ("DL3043",)}
    keywords = frozenset({"ONBUILD"})

    def check_instruction(self, ctx, instruction) -> Iterator[Finding]:
        inner = instruction.onbuild
        if inner is not None and inner.keyword in FORBIDDEN:
            yield Finding(instruction.span, f"ONBUILD {inner.keyword} is not allowed as a trigger",
                          hint="ONBUILD may hold any instruction except ONBUILD, FROM and MAINTAINER")
