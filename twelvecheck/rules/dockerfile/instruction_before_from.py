from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import DockerfileRule


class InstructionBeforeFrom(DockerfileRule):
    """An instruction other than `ARG` before the first `FROM`.

    ## What it does
    Flags every instruction that comes before the first `FROM` (or in a file without one),
    except `ARG`, which may declare the variables `FROM` uses. Parser directives and comments
    are fine.

    ## Why is this bad?
    There is no build stage yet for the instruction to act on: the build fails.

    ## Example
    ```dockerfile
    ENV APP_ENV=production
    FROM python:3.12-slim
    ```

    Use instead:
    ```dockerfile
    ARG PYTHON_VERSION=3.12
    FROM python:${PYTHON_VERSION}-slim
    ENV APP_ENV=production
    ```

    ## References
    - [hadolint DL3061](https://github.com/hadolint/hadolint/wiki/DL3061)
    """

    code = "DF030"
    name = "instruction-before-from"
    severity = "error"
    aliases = {"hadolint": ("DL3061",)}

    def check(self, ctx) -> Iterator[Finding]:
        for instruction in ctx.dockerfile.instructions:
            if instruction.keyword == "FROM":
                return
            if instruction.keyword != "ARG":
                yield Finding(instruction.span, f"{instruction.keyword} before the first FROM: there is no build stage for it yet",
                              hint="start the file with FROM (only ARG may come before it)")
