"""The shell commands of RUN instructions in the final image's stages, with their spans."""

from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.parse.model import Instruction, Span
from twelvecheck.parse.shell import Command
from twelvecheck.rules.dockerfile._startup import final_chain


def run_commands(ctx, final_only: bool = True) -> Iterator[tuple[Instruction, Command, Span]]:
    """(RUN, command, span) for every command of the RUNs' scripts (``scripts_of``: the command
    line, heredoc bodies fed to a shell, the exec form's one command)."""
    stages = final_chain(ctx) if final_only else list(ctx.dockerfile.stages)
    for stage in reversed(stages):
        for instruction in stage.instructions:
            if instruction.keyword != "RUN" or not ctx.uses_posix_shell(instruction):
                continue
            for run in ctx.scripts_of(instruction):
                for command in run.commands:
                    yield instruction, command, run.command_span(command)
