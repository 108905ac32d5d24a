from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Edit, Finding
from twelvecheck.rules._fixes import make_fix, text_span, written_words
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

    ## Fix safety
    Safe: BuildKit lower-cases stage names where they are defined and where they are used
    (`FROM`, `COPY --from`), so references written in any case still match.

    ## References
    - [BuildKit StageNameCasing](https://docs.docker.com/reference/build-checks/stage-name-casing/)
    """

    code = "DF033"
    name = "stage-name-casing"
    severity = "style"
    aliases = {"buildkit": ("StageNameCasing",)}
    fixable = True

    def check_stage(self, ctx, stage) -> Iterator[Finding]:
        written = stage.written_name
        if written and written != written.lower():
            yield Finding(stage.from_instruction.span, f"stage name '{written}' is not lower case",
                          hint=f"name it '{written.lower()}'", fix=_name_fix(stage.from_instruction, written))


def _name_fix(instruction, written: str):
    words = written_words(instruction)
    if len(words) != 3 or words[2][2] != written:
        return None
    start, end, _ = words[2]
    return make_fix(f"name it '{written.lower()}'", Edit(text_span(instruction, start, end), written.lower()))
