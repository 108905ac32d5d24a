"""The shell commands of RUN instructions in the final image's stages, with their spans."""

from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.parse.model import Instruction, Span
from twelvecheck.parse.shell import Command, parse_script
from twelvecheck.rules.dockerfile._startup import final_chain


def run_commands(ctx, final_only: bool = True) -> Iterator[tuple[Instruction, Command, Span]]:
    """(RUN, command, span) for every command of shell-form RUNs (heredoc bodies included)."""
    stages = final_chain(ctx) if final_only else list(ctx.dockerfile.stages)
    for stage in reversed(stages):
        for instruction in stage.instructions:
            if instruction.keyword != "RUN" or instruction.json or not ctx.uses_posix_shell(instruction):
                continue
            for command in parse_script(instruction.text):
                yield instruction, command, instruction.text_map.span(command.start, command.end)
            for heredoc in instruction.heredocs:
                for command in parse_script(heredoc.content):
                    line, column = heredoc.position(command.start)
                    yield instruction, command, Span(line, column, line, column + 1)
