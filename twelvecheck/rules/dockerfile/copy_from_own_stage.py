from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import InstructionRule
from twelvecheck.rules.dockerfile._stages import copy_from
from twelvecheck.parse.words import bounded_int


class CopyFromOwnStage(InstructionRule):
    """`COPY --from` names the stage it is in.

    ## What it does
    Flags `COPY --from=name` inside the stage called `name` (or `--from=N` inside stage `N`).

    ## Why is this bad?
    A stage cannot read its own result while it is being built: BuildKit fails with a
    circular dependency.

    ## Example
    ```dockerfile
    FROM node:22-slim AS web
    COPY --from=web /app/dist /srv/
    ```

    Use instead:
    ```dockerfile
    FROM node:22-slim AS build
    RUN npm run build
    FROM node:22-slim AS web
    COPY --from=build /app/dist /srv/
    ```

    ## References
    - [hadolint DL3023](https://github.com/hadolint/hadolint/wiki/DL3023)
    """

    code = "DF015"
    name = "copy-from-own-stage"
    severity = "error"
    aliases = {"hadolint": ("DL3023",)}
    keywords = frozenset({"COPY"})

    def check_instruction(self, ctx, instruction) -> Iterator[Finding]:
        found = copy_from(ctx, instruction)
        stage = ctx.stage_of(instruction)
        if found is None or stage is None or found[1]:
            return
        name = found[0].lower()
        if not ctx.is_onbuild_trigger(instruction) and (
                name == stage.name or bounded_int(name) == stage.index):
            yield Finding(instruction.span, f"COPY --from={found[0]} inside stage '{stage.written_name or stage.index}' itself",
                          hint="copy from an earlier stage")
