"""The shell scripts inside RUN instructions, parsed once per file, with source positions.

A RUN gives up to two kinds of script: its command line (shell form) and, for heredocs fed to a
POSIX shell (``RUN <<EOF``, ``RUN bash <<EOF``, or a body starting with a ``#!/bin/sh`` line),
each heredoc body. RUN under PowerShell or cmd has no POSIX script: POSIX rules skip it.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field

from twelvecheck.parse.model import Heredoc, Instruction, Span
from twelvecheck.parse.commands import Invocation, parse_invocation
from twelvecheck.parse.shell import Command, Script, parse_script

POSIX_SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh", "ksh", "busybox"})


@dataclass(frozen=True, slots=True)
class RunScript:
    instruction: Instruction
    script: Script
    text: str
    heredoc: Heredoc | None  # None: the RUN's own command line
    _position: Callable[[int], tuple[int, int]]
    _invocations: dict[int, Invocation | None] = field(default_factory=dict)
    _spans: dict[int, tuple[Command, Span]] = field(default_factory=dict)
    _named: dict[frozenset[str], tuple[Command, ...]] = field(default_factory=dict)

    def invocation(self, command: Command) -> Invocation | None:
        """The command's package-manager or downloader arguments, parsed once for all rules."""
        key = id(command)
        if key not in self._invocations:
            self._invocations[key] = parse_invocation(command)
        return self._invocations[key]

    def position(self, offset: int) -> tuple[int, int]:
        """Source line and column of an offset into ``text``."""
        return self._position(offset)

    def span(self, start: int, end: int) -> Span:
        line, column = self._position(start)
        end_line, end_column = self._position(max(start, end - 1))
        return Span(line, column, end_line, end_column + 1)

    def command_span(self, command: Command) -> Span:
        """The command's source span (asked for by many rules: found once)."""
        found = self._spans.get(id(command))
        if found is None or found[0] is not command:  # the command is kept: its id stays its own
            found = self._spans[id(command)] = (command, self.span(command.start, command.end))
        return found[1]

    @property
    def commands(self) -> tuple[Command, ...]:
        return self.script.commands

    def commands_named(self, names: frozenset[str]) -> tuple[Command, ...]:
        """``commands`` run by one of ``names`` (all when empty), in order. Each set of names is
        looked up once per script: most rules care about a few programs, and a pass over every
        command per rule would cost a long script as many passes as there are rules."""
        if not names:
            return self.script.commands
        found = self._named.get(names)
        if found is None:
            found = self._named[names] = tuple(c for c in self.script.commands if c.name in names)
        return found

    @property
    def all_commands(self) -> tuple[Command, ...]:
        """``commands`` plus those inside ``$(...)`` and backticks."""
        return self.script.all_commands


def _interpreter(line: str) -> str:
    program = line.split()[0] if line.split() else ""
    if program == "/usr/bin/env" and len(line.split()) > 1:
        program = line.split()[1]
    return program.rsplit("/", 1)[-1]


def _feeds_a_shell(instruction: Instruction, heredoc: Heredoc, line_script: Script) -> bool:
    """The heredoc body is shell code: the RUN is only the heredoc, or it is the stdin of sh/bash."""
    body = heredoc.content
    if body.startswith("#!"):
        return _interpreter(body[2:].splitlines()[0]) in POSIX_SHELLS
    for command in line_script.commands:
        if any(r.op.startswith("<<") and r.target.value == heredoc.name for r in command.redirects):
            return not command.argv or command.name in POSIX_SHELLS
    return not line_script.commands or all(not c.argv for c in line_script.commands)


def scripts_of(instruction: Instruction) -> list[RunScript]:
    """Every POSIX shell script of one RUN instruction. An exec-form RUN (``RUN ["npm",
    "install"]``) is the one command it runs, so command rules read it like any other."""
    if instruction.keyword != "RUN":
        return []
    if instruction.json:
        return [_exec_form_script(instruction)] if instruction.args else []
    line_script = parse_script(instruction.text)
    scripts = [RunScript(instruction, line_script, instruction.text, None, instruction.text_map.position)]
    for heredoc in instruction.heredocs:
        if _feeds_a_shell(instruction, heredoc, line_script):
            body = heredoc.content
            position = heredoc.position if not heredoc.chomp else _chomped_position(heredoc)
            scripts.append(RunScript(instruction, parse_script(body), body, heredoc, position))
    return scripts


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def _exec_form_script(instruction: Instruction) -> RunScript:
    """The exec form's argv as a quoted command line; its offsets map back into the array
    (into each element's string, or its start where quoting made the two differ)."""
    text, starts = "", []
    for arg in instruction.args:
        if text:
            text += " "
        starts.append(len(text))
        text += shlex.quote(arg)
    elements = [match.start() + 1 for match in _JSON_STRING.finditer(instruction.text)]

    def position(at: int) -> tuple[int, int]:
        index = max((i for i, start in enumerate(starts) if start <= at), default=0)
        if index >= len(elements):
            return instruction.text_map.position(0)
        quoted = text[starts[index]] == "'" and not instruction.args[index].startswith("'")
        return instruction.text_map.position(elements[index] + max(0, at - starts[index] - quoted))

    return RunScript(instruction, parse_script(text), text, None, position)


def _chomped_position(heredoc: Heredoc) -> Callable[[int], tuple[int, int]]:
    """Positions in ``<<-`` content (leading tabs removed) mapped back to the raw body."""
    starts, raw_columns = [], []
    offset = 0
    for index, line in enumerate(heredoc.body.split("\n")):
        stripped = line.lstrip("\t")
        starts.append(offset)
        raw_columns.append(len(line) - len(stripped))
        offset += len(stripped) + 1

    def position(at: int) -> tuple[int, int]:
        index = max(i for i, start in enumerate(starts) if start <= at) if starts else 0
        return heredoc.span.line + index, at - starts[index] + raw_columns[index] + 1

    return position
