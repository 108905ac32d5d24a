from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import InstructionRule
from twelvecheck.rules.dockerfile._stages import copy_from, earlier_stage, looks_like_image


class CopyFromUnknownStage(InstructionRule):
    """`COPY --from` names no earlier stage.

    ## What it does
    Flags `COPY --from=name` when `name` (after ARG expansion) is neither an earlier stage's
    name nor an earlier stage's index. Values that are clearly image references
    (`--from=nginx:1.27`, `--from=ghcr.io/org/tool`) are left alone, and so are values with
    an unknown variable. A name that only a *later* stage carries is flagged too: BuildKit
    does not look forward.

    ## Why is this bad?
    BuildKit treats an unknown name as an image on Docker Hub: a typo in a stage name pulls
    (or fails to pull) `docker.io/library/<name>` instead of copying from the stage.

    ## Example
    ```dockerfile
    FROM golang:1.23 AS build
    RUN go build -o /out/app .
    FROM gcr.io/distroless/static-debian12
    COPY --from=builder /out/app /app
    ```

    Use instead:
    ```dockerfile
    FROM golang:1.23 AS build
    RUN go build -o /out/app .
    FROM gcr.io/distroless/static-debian12
    COPY --from=build /out/app /app
    ```

    ## References
    - [hadolint DL3022](https://github.com/hadolint/hadolint/wiki/DL3022)
    """

    code = "DF014"
    name = "copy-from-unknown-stage"
    severity = "warning"
    aliases = {"hadolint": ("DL3022",)}
    keywords = frozenset({"COPY"})

    def check_instruction(self, ctx, instruction) -> Iterator[Finding]:
        found = copy_from(ctx, instruction)
        stage = ctx.stage_of(instruction)
        if found is None or stage is None:
            return
        name, unknown = found
        if unknown or not name or looks_like_image(name) or earlier_stage(ctx, name, stage) is not None:
            return
        if name.lower() == (stage.name or "") or (name.isdigit() and name.lstrip("0") == str(stage.index).lstrip("0")):
            return  # its own stage: copy-from-own-stage reports that
        later = [s for s in ctx.dockerfile.stages[stage.index + 1:] if s.name == name.lower()]
        where = f"the stage of that name starts later, on line {later[0].from_instruction.span.line}" if later else "no stage has that name"
        yield Finding(instruction.span, f"COPY --from={name}: {where}, so BuildKit pulls the image '{name}' instead",
                      hint="name a stage defined above this one (FROM … AS name)")
