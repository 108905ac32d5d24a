"""The shell commands of RUN instructions in the final image's stages, with their scripts."""

from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.parse.shell import Command
from twelvecheck.rules.dockerfile._startup import final_chain
from twelvecheck.rules.run_scripts import RunScript


def run_commands(ctx, final_only: bool = True) -> Iterator[tuple[RunScript, Command]]:
    """(script, command) for every command of the RUNs' scripts (``scripts_of``: the command
    line, heredoc bodies fed to a shell, the exec form's one command); ``script.command_span``
    places a command (asked only for the few reported: a long RUN has many)."""
    stages = final_chain(ctx) if final_only else list(ctx.dockerfile.stages)
    for stage in reversed(stages):
        for instruction in stage.instructions:
            if instruction.keyword != "RUN" or not ctx.uses_posix_shell(instruction):
                continue
            for run in ctx.scripts_of(instruction):
                for command in run.commands:
                    yield run, command
