from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import StageRule

_SMALL = 1  # RUNs of more commands were split on purpose (hadolint's threshold too)


class ConsecutiveRunInstructions(StageRule):
    """Several short RUN instructions in a row that could be one.

    ## What it does
    Flags a RUN that directly follows another RUN (comments in between do not count) when
    both run a single command (a pipe or a `$(...)` counts as more) and have the same flags
    (`--mount`, `--network`, …). RUNs of more commands, or with different mounts, were most
    likely split on purpose.

    ## Why is this bad?
    Each RUN is a layer and a cache entry: a chain of tiny RUNs makes the image larger and
    the build slower than one RUN joined with `&&`.

    ## Example
    ```dockerfile
    FROM debian:12-slim
    RUN mkdir -p /app
    RUN chown nobody /app
    ```

    Use instead:
    ```dockerfile
    FROM debian:12-slim
    RUN mkdir -p /app && chown nobody /app
    ```

    ## References
    - [hadolint DL3059](https://github.com/hadolint/hadolint/wiki/DL3059)
    """

    code = "SH033"
    name = "consecutive-run-instructions"
    severity = "info"
    aliases = {"hadolint": ("DL3059",)}

    def check_stage(self, ctx, stage) -> Iterator[Finding]:
        sizes = {}
        for instruction in stage.instructions:
            for run in ctx.posix_scripts_of(instruction):
                key = id(run.instruction)
                sizes[key] = sizes.get(key, 0) + sum(1 for c in run.all_commands if c.name and not c.wrapped_by
                                                     or c.wrapped_by == "$(...)")
        previous = None
        for instruction in stage.instructions:
            if instruction.keyword != "RUN" or id(instruction) not in sizes:
                previous = None
                continue
            if previous is not None and _flags(previous) == _flags(instruction) \
                    and sizes[id(previous)] <= _SMALL and sizes[id(instruction)] <= _SMALL:
                yield Finding(instruction.span, "this RUN directly follows another short RUN: one more layer",
                              hint="join them with && into one RUN")
            previous = instruction


def _flags(instruction) -> tuple[str, ...]:
    return tuple(sorted(flag.raw for flag in instruction.flags))
