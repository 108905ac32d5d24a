"""What the final image runs when it starts: CMD, ENTRYPOINT and the entrypoint scripts they call.

Twelve-factor rules judge the running process (one process per container, exec, logs to
stdout, no installs at boot), so they read the start command as shell and follow it into the
scripts copied from the build context (``COPY docker-entrypoint.sh /usr/local/bin/``).
"""

from __future__ import annotations

import os
import re
import shlex
from dataclasses import dataclass

from twelvecheck.files import read_text
from twelvecheck.findings import Finding
from twelvecheck.rules.base import DockerfileRule
from twelvecheck.parse.model import Instruction, Span, Stage
from twelvecheck.parse.shell import Command, Script, parse_script
from twelvecheck.lazy_re import lazy_compile

DEVELOPMENT_FILE = lazy_compile(r"(^|[._-])(dev|devel|development|local|test|tests|debug|ci)([._-]|$)", re.IGNORECASE)
SCRIPT_HINTS = (".sh", "entrypoint", "start", "run", "boot", "init")


@dataclass(frozen=True, slots=True)
class StartupScript:
    """A shell text that runs at container start, and how to place its commands."""

    origin: str  # 'CMD', 'ENTRYPOINT' or 'entrypoint script docker-entrypoint.sh'
    instruction: Instruction  # the CMD/ENTRYPOINT (for a script: the COPY that brought it)
    text: str
    file: str  # '' for the Dockerfile itself, else the script's display path
    from_instruction_text: bool  # offsets map through the instruction's source map

    @property
    def script(self) -> Script:
        return parse_script(self.text)  # cached by the shell model

    def span(self, command: Command) -> Span:
        if self.from_instruction_text:
            return self.instruction.text_map.span(command.start, command.end)
        if self.file:
            return _text_span(self.text, command.start, command.end)
        return self.instruction.span


def is_development_dockerfile(path: str) -> bool:
    """``Dockerfile.dev``, ``test.Dockerfile``: images for development or tests, not releases."""
    return bool(DEVELOPMENT_FILE.search(os.path.basename(path)))


def is_development_image(ctx) -> bool:
    """A development image by its file name (``Dockerfile.dev``) or by its final stage's name
    (``FROM builder AS dev-envs``, ``AS development``): built to develop in, not to release."""
    stages = ctx.dockerfile.stages
    return is_development_dockerfile(ctx.path) or bool(stages and stages[-1].name and DEVELOPMENT_FILE.search(stages[-1].name))


def final_chain(ctx) -> list[Stage]:
    """The final stage and the stages it builds on (FROM an earlier stage), final first."""
    stages = ctx.dockerfile.stages
    return ctx.stage_chain(stages[-1]) if stages else []


def start_instructions(ctx) -> dict[str, Instruction]:
    """The CMD and ENTRYPOINT in force in the final image."""
    found: dict[str, Instruction] = {}
    for stage in final_chain(ctx):
        for instruction in reversed(stage.instructions):
            if instruction.keyword in ("CMD", "ENTRYPOINT"):
                found.setdefault(instruction.keyword, instruction)
    return found


def startup_scripts(ctx) -> list[StartupScript]:
    """CMD, ENTRYPOINT and the scripts from the build context they run, in that order."""
    scripts = []
    for keyword, instruction in sorted(start_instructions(ctx).items()):
        if instruction.json:
            scripts.append(StartupScript(keyword, instruction, shlex.join(instruction.args), "", False))
        else:
            scripts.append(StartupScript(keyword, instruction, instruction.text, "", True))
    scripts.extend(_copied_scripts(ctx, scripts))
    return scripts


def _copied_scripts(ctx, starts: list[StartupScript]) -> list[StartupScript]:
    if not ctx.directory:
        return []
    names = {os.path.basename(word.value) for start in starts for command in start.script for word in command.argv
             if any(hint in os.path.basename(word.value).lower() for hint in SCRIPT_HINTS)}
    found = []
    for stage in final_chain(ctx):
        for instruction in stage.instructions:
            if instruction.keyword not in ("COPY", "ADD") or instruction.flag("from"):
                continue
            for source in _copy_sources(instruction, names):
                path = os.path.normpath(os.path.join(ctx.directory, source))
                text = read_text(path) if os.path.isfile(path) else None
                if isinstance(text, str):
                    display = os.path.normpath(os.path.join(os.path.dirname(ctx.path), source))
                    found.append(StartupScript(f"entrypoint script {source}", instruction, text, display, False))
    return found


def _copy_sources(instruction: Instruction, names: set[str]) -> list[str]:
    """Sources of a COPY/ADD that land as one of ``names`` (by their own or the target's name)."""
    if len(instruction.args) < 2:
        return []
    *sources, destination = instruction.args
    target_name = os.path.basename(destination.rstrip("/")) if not destination.endswith("/") else ""
    return [source for source in sources
            if "://" not in source and "*" not in source and (os.path.basename(source) in names or (len(sources) == 1 and target_name in names))]


def _text_span(text: str, start: int, end: int) -> Span:
    def position(offset: int) -> tuple[int, int]:
        line = text.count("\n", 0, offset) + 1
        return line, offset - (text.rfind("\n", 0, offset) + 1) + 1

    line, column = position(start)
    end_line, end_column = position(max(start, end - 1))
    return Span(line, column, end_line, end_column + 1)


def commands_at_start(ctx):
    """Every (startup script, command) pair of the final image's start."""
    for start in startup_scripts(ctx):
        for command in start.script:
            yield start, command


class StartCommandRule(DockerfileRule):
    """Shape of the rules that judge each command the final image runs at start.

    A subclass sets ``hint`` and implements ``judge(command)`` returning what is wrong (or None);
    the finding lands on the command, in the Dockerfile or in the entrypoint script."""

    hint: str = ""

    def check(self, ctx):
        for start, command in commands_at_start(ctx):
            problem = self.judge(command)
            if problem:
                yield Finding(start.span(command), f"{start.origin} {problem}", hint=self.hint, file=start.file)

    def judge(self, command: Command) -> str | None:
        raise NotImplementedError
