from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import InstructionRule
from twelvecheck.rules.dockerfile._paths import is_absolute



class RelativeWorkdir(InstructionRule):
    """`WORKDIR` with a relative path.

    ## What it does
    Flags a `WORKDIR` whose expanded path is neither POSIX-absolute (`/app`) nor a Windows path
    (`C:\\app`, `\\app`). Paths that start with a variable whose value is unknown are skipped.

    ## Why is this bad?
    A relative `WORKDIR` depends on the previous one, which may come from the base image and
    change when the base changes.

    ## Example
    ```dockerfile
    FROM alpine:3.20
    WORKDIR app
    ```

    Use instead:
    ```dockerfile
    FROM alpine:3.20
    WORKDIR /app
    ```

    ## References
    - [hadolint DL3000](https://github.com/hadolint/hadolint/wiki/DL3000)
    - [BuildKit WorkdirRelativePath](https://docs.docker.com/reference/build-checks/workdir-relative-path/)
    """

    code = "DF005"
    name = "relative-workdir"
    severity = "warning"
    aliases = {"hadolint": ("DL3000",), "buildkit": ("WorkdirRelativePath",)}
    keywords = frozenset({"WORKDIR"})

    def check_instruction(self, ctx, instruction) -> Iterator[Finding]:
        raw = instruction.text.strip()
        if not raw:
            return
        expansion = ctx.expansion(raw, instruction)
        path = expansion.value
        if expansion.missing or not path:
            return
        if is_absolute(path):
            return
        yield Finding(instruction.span, f"WORKDIR '{path}' is relative to whatever the previous WORKDIR was",
                      hint=f"use an absolute path, e.g. WORKDIR /{path.lstrip('./')}")
