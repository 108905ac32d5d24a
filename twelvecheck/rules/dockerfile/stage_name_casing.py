from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import StageRule


class StageNameCasing(StageRule):
    """A stage name with upper-case letters.

    ## What it does
    Flags `FROM … AS Name` when the name is not all lower case.

    ## Why is this bad?
    BuildKit lower-cases stage names, so `--target Build`, `COPY --from=build` and
    `FROM BUILD` all mean the same stage: the mixed spelling suggests a distinction that does
    not exist.

    ## Example
    ```dockerfile
    FROM golang:1.23 AS BuildStage
    ```

    Use instead:
    ```dockerfile
    FROM golang:1.23 AS build-stage
    ```

    ## References
    - [BuildKit StageNameCasing](https://docs.docker.com/reference/build-checks/stage-name-casing/)
    """

    code = "DF033"
    name = "stage-name-casing"
    severity = "style"
    aliases = {"buildkit": ("StageNameCasing",)}

    def check_stage(self, ctx, stage) -> Iterator[Finding]:
        written = stage.written_name
        if written and written != written.lower():
            yield Finding(stage.from_instruction.span, f"stage name '{written}' is not lower case",
                          hint=f"name it '{written.lower()}'")
