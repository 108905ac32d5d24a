from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.parse.model import Instruction
from twelvecheck.rules._fixes import delete_lines, make_fix
from twelvecheck.rules.base import StageRule

SINGLE_USE = ("CMD", "ENTRYPOINT", "HEALTHCHECK")


class SupersededInstruction(StageRule):
    """More than one `CMD`, `ENTRYPOINT` or `HEALTHCHECK` in a stage: only the last counts.

    ## What it does
    Flags the second and later `CMD`, `ENTRYPOINT` or `HEALTHCHECK` of one build stage. The
    ones inside `ONBUILD` are not counted: they run in a later build.

    ## Why is this bad?
    Each of these instructions replaces the previous one, so every earlier one is dead code
    that a reader takes for configuration.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    CMD ["python", "-m", "http.server"]
    CMD ["python", "-m", "app"]
    ```

    Use instead:
    ```dockerfile
    FROM python:3.12-slim
    CMD ["python", "-m", "app"]
    ```

    ## Fix safety
    Safe: the fix deletes the earlier instruction (its lines), which the later one replaces
    before it can take effect.

    ## References
    - [hadolint DL4003](https://github.com/hadolint/hadolint/wiki/DL4003)
    - [hadolint DL4004](https://github.com/hadolint/hadolint/wiki/DL4004)
    - [hadolint DL3012](https://github.com/hadolint/hadolint/wiki/DL3012)
    - [BuildKit MultipleInstructionsDisallowed](https://docs.docker.com/reference/build-checks/multiple-instructions-disallowed/)
    """

    code = "DF011"
    name = "superseded-instruction"
    severity = "warning"
    aliases = {"hadolint": ("DL4003", "DL4004", "DL3012"), "buildkit": ("MultipleInstructionsDisallowed",)}
    fixable = True

    def check_stage(self, ctx, stage) -> Iterator[Finding]:
        first: dict[str, Instruction] = {}
        for instruction in stage.instructions:
            keyword = instruction.keyword
            if keyword not in SINGLE_USE:
                continue
            if keyword in first:
                earlier = first[keyword]
                yield Finding(instruction.span,
                              f"another {keyword} in this stage: it replaces the one on line {earlier.span.line}, which has no effect",
                              hint=f"keep a single {keyword} per stage",
                              fix=make_fix(f"delete the {keyword} that has no effect",
                                           delete_lines(earlier.span.line, earlier.span.end_line)))
                first[keyword] = instruction
            else:
                first[keyword] = instruction
