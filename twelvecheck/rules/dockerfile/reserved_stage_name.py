from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import StageRule

RESERVED = frozenset({"scratch", "context"})


class ReservedStageName(StageRule):
    """A stage named `scratch` or `context`.

    ## What it does
    Flags `FROM … AS scratch` and `FROM … AS context`.

    ## Why is this bad?
    Both names already mean something to BuildKit: `scratch` is the empty image and `context`
    the build context. A stage of that name makes `FROM scratch` or `COPY --from=context`
    ambiguous.

    ## Example
    ```dockerfile
    FROM alpine:3.20 AS scratch
    ```

    Use instead:
    ```dockerfile
    FROM alpine:3.20 AS base
    ```

    ## References
    - [hadolint DL3063](https://github.com/hadolint/hadolint/wiki/DL3063)
    - [BuildKit ReservedStageName](https://docs.docker.com/reference/build-checks/reserved-stage-name/)
    """

    code = "DF037"
    name = "reserved-stage-name"
    severity = "warning"
    aliases = {"hadolint": ("DL3063",), "buildkit": ("ReservedStageName",)}

    def check_stage(self, ctx, stage) -> Iterator[Finding]:
        if stage.name in RESERVED:
            yield Finding(stage.from_instruction.span, f"stage name '{stage.written_name}' is reserved by BuildKit",
                          hint="pick another stage name")
