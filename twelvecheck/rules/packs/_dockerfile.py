"""The shape of a Dockerfile pack rule: instructions, flags and arguments, and the shell
commands of RUN read through the shell model and each tool's typed argument parser (never a
regex over raw RUN text: quoting, ``sudo``, ``sh -c`` and ``-fsSL`` bundles would fool it)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from twelvecheck.findings import Finding
from twelvecheck.parse.model import Instruction, Stage
from twelvecheck.parse.shell import Command
from twelvecheck.rules.base import DockerfileRule
from twelvecheck.rules.context import DockerfileContext
from twelvecheck.rules.packs._format import CommandMatch, DockerfileMatch
from twelvecheck.rules.run_scripts import RunScript


class DockerfilePackRule(DockerfileRule):
    """Reports each instruction or RUN command ``match`` describes (or, with ``when: absent``,
    each stage in scope where nothing matches)."""

    match: ClassVar[DockerfileMatch]
    message: ClassVar[str]
    hint: ClassVar[str | None] = None

    def check(self, ctx: DockerfileContext) -> Iterator[Finding]:
        if self.match.when == "absent":
            yield from self._missing(ctx)
            return
        for instruction in ctx.instructions_with(self.match.keywords):
            if not self._instruction_matches(ctx, instruction):
                continue
            if self.match.command is None:
                yield self._finding(instruction.span, keyword=instruction.keyword, stage=_stage_name(ctx, instruction),
                                    value=ctx.expand(instruction.text, instruction), command="")
                continue
            for run, command in self._commands(ctx, instruction):
                yield self._finding(run.command_span(command), keyword="RUN", stage=_stage_name(ctx, instruction),
                                    value=" ".join(word.value for word in command.argv), command=command.name)

    def _missing(self, ctx: DockerfileContext) -> Iterator[Finding]:
        """``when: absent``: the final image (its stage and the stages it is built FROM) or each
        stage must hold a matching instruction; reported at the FROM of the stage lacking it."""
        stages = ctx.dockerfile.stages
        if self.match.stage == "final":
            groups = [[s for s in stages if s.index in ctx.final_image_stages]] if stages else []
        else:
            groups = [[stage] for stage in stages]
        for group in groups:
            if not any(self._found_in(ctx, stage) for stage in group):
                last = group[-1]
                yield self._finding(last.from_instruction.span, keyword="FROM", stage=last.written_name or str(last.index),
                                    value=last.base, command="")

    def _found_in(self, ctx: DockerfileContext, stage: Stage) -> bool:
        for instruction in stage.instructions:
            wanted = not self.match.keywords or instruction.keyword in self.match.keywords
            if wanted and self._instruction_matches(ctx, instruction, scoped=False):
                if self.match.command is None or any(True for _ in self._commands(ctx, instruction)):
                    return True
        return False

    def _instruction_matches(self, ctx: DockerfileContext, instruction: Instruction, scoped: bool = True) -> bool:
        match = self.match
        if scoped and match.stage == "final" and not ctx.in_final_image(instruction):
            return False
        if not all(_flag_matches(instruction, name, state) for name, state in match.flags):
            return False
        if match.arguments is None and match.arguments_not is None:
            return True
        text = ctx.expand(instruction.text, instruction)
        return (match.arguments is None or bool(match.arguments.search(text))) and \
            (match.arguments_not is None or not match.arguments_not.search(text))

    def _commands(self, ctx: DockerfileContext, instruction: Instruction) -> Iterator[tuple[RunScript, Command]]:
        assert self.match.command is not None
        for run in ctx.posix_scripts_of(instruction):
            for command in run.all_commands:
                if command_matches(self.match.command, run, command):
                    yield run, command

    def _finding(self, span, **fields: str) -> Finding:
        hint = self.hint.format_map(fields) if self.hint else None
        return Finding(span, self.message.format_map(fields), hint=hint)


def _stage_name(ctx: DockerfileContext, instruction: Instruction) -> str:
    stage = ctx.stage_of(instruction)
    return "" if stage is None else stage.written_name or str(stage.index)


def _flag_matches(instruction: Instruction, name: str, state: str) -> bool:
    values = instruction.flag_values(name)
    if state == "present":
        return bool(values)
    if state == "absent":
        return not values
    return any(re.search(state, value) for value in values)


def command_matches(match: CommandMatch, run: RunScript, command: Command) -> bool:
    """The command is one of ``match.names`` with the subcommand, options and operands asked for.

    A tool with a typed parser (``parse_invocation``) is read through it, so ``-y``, ``--yes``
    and ``--assume-yes`` are all the option ``yes``; other tools through their raw words."""
    invocation = run.invocation(command)
    if command.name not in match.names and (invocation is None or invocation.tool not in match.names):
        return False
    if invocation is not None:
        subcommand, operands = invocation.subcommand, [word.value for word in invocation.operands]
        given = set(invocation.options)
        if subcommand is None and match.subcommands and operands:
            subcommand = operands[0]  # tools parsed without subcommands (curl, tar) keep it an operand
    else:
        given, operands = _raw_options(command.args)
        subcommand = operands[0] if operands else None
    if match.subcommands and subcommand not in match.subcommands:
        return False
    if not all(option in given for option in match.option_present):
        return False
    if any(option in given for option in match.option_absent):
        return False
    return match.argument is None or any(match.argument.search(operand) for operand in operands)


def _raw_options(words: tuple[str, ...]) -> tuple[set[str], list[str]]:
    """Option names and operands of a command no typed parser knows: ``--name[=value]`` gives
    ``name``; ``-abc`` gives ``a``, ``b``, ``c`` and ``abc`` (single-dash long options exist)."""
    given: set[str] = set()
    operands: list[str] = []
    for index, word in enumerate(words):
        if word == "--":
            operands.extend(words[index + 1:])
            break
        if word.startswith("--"):
            given.add(word[2:].split("=", 1)[0])
        elif word.startswith("-") and word != "-":
            given.add(word[1:])
            given.update(word[1:])
        else:
            operands.append(word)
    return given, operands
