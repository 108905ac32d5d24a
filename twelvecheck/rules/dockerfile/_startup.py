"""What the final image runs when it starts: CMD, ENTRYPOINT and the entrypoint scripts they call.

Twelve-factor rules judge the running process (one process per container, exec, logs to
stdout, no installs at boot), so they read the start command as shell and follow it into the
shell scripts copied from the build context (``COPY docker-entrypoint.sh /usr/local/bin/``),
the scripts those run in turn, and the start scripts of s6-overlay and runit service
directories copied into the image (``COPY rootfs/ /`` with ``etc/services.d/app/run``).
"""

from __future__ import annotations

import os
import posixpath
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


def startup_scripts(ctx) -> tuple[StartupScript, ...]:
    """CMD, ENTRYPOINT and the scripts from the build context they run, in that order; found
    once per file (a dozen rules ask, and finding them reads the build context)."""
    return ctx.memo("startup scripts", lambda: tuple(_startup_scripts(ctx)))


def _startup_scripts(ctx) -> list[StartupScript]:
    scripts = []
    for keyword, instruction in sorted(start_instructions(ctx).items()):
        if instruction.json:
            scripts.append(StartupScript(keyword, instruction, shlex.join(instruction.args), "", False))
        else:
            scripts.append(StartupScript(keyword, instruction, instruction.text, "", True))
    scripts.extend(_copied_scripts(ctx, scripts))
    return scripts


MAX_SCRIPT_DEPTH = 3  # entrypoint -> the script it runs -> the one that runs: deeper is rare
MAX_SERVICE_FILES = 2000  # files looked at under one copied directory
# Where process supervisors look for what to start: s6-overlay (v2 services.d and cont-init.d,
# v3 s6-rc.d) and runit service directories. Their scripts run when the container starts.
SERVICE_SCRIPT = re.compile(r"/etc/(?:services\.d/[^/]+/run|s6-overlay/s6-rc\.d/[^/]+/(?:run|up)"
                            r"|cont-init\.d/[^/]+|service/[^/]+/run|sv/[^/]+/run|runit/[^/]+/run)$")


def _copied_scripts(ctx, starts: list[StartupScript]) -> list[StartupScript]:
    """Scripts from the build context the start runs: the ones CMD/ENTRYPOINT name, the ones
    those run in turn, and the service scripts of s6/runit directories copied into the image."""
    if not ctx.directory:
        return []
    copies = [instruction for stage in final_chain(ctx) for instruction in stage.instructions
              if instruction.keyword in ("COPY", "ADD") and not instruction.flag("from")]
    found = _service_scripts(ctx, copies)
    seen = {script.file for script in found}
    layer = starts + found
    for _ in range(MAX_SCRIPT_DEPTH):
        names = {os.path.basename(word.value) for start in layer for command in start.script
                 for word in command.argv if word.value and "$" not in word.value}
        layer = []
        for instruction in copies:
            for source in _copy_sources(instruction, names):
                script = _context_script(ctx, instruction, source, f"entrypoint script {source}")
                if script is not None and script.file not in seen:
                    seen.add(script.file)
                    layer.append(script)
        found.extend(layer)
        if not layer:
            break
    return found


def _context_script(ctx, instruction: Instruction, source: str, origin: str) -> StartupScript | None:
    """The shell script at ``source`` in the build context, or None (missing, binary, not shell)."""
    path = os.path.normpath(os.path.join(ctx.directory, source))
    if not path.startswith(ctx.directory + os.sep) or not os.path.isfile(path):
        return None
    text = read_text(path, root=ctx.context_root)
    if not isinstance(text, str) or not _is_shell_script(source, text):
        return None
    display = os.path.normpath(os.path.join(os.path.dirname(ctx.path), source))
    return StartupScript(origin, instruction, text, display, False)


def _is_shell_script(name: str, text: str) -> bool:
    if text.startswith("#!"):
        interpreter = text[2:].split("\n", 1)[0].split()
        program = interpreter[-1] if interpreter and interpreter[0].endswith("/env") else (interpreter or [""])[0]
        return os.path.basename(program) in ("sh", "bash", "ash", "dash", "execlineb", "with-contenv")
    return name.endswith(".sh")


def _service_scripts(ctx, copies: list[Instruction]) -> list[StartupScript]:
    """``COPY rootfs/ /`` or ``COPY services/ /etc/services.d/``: every s6/runit start script."""
    found = []
    for instruction in copies:
        if len(instruction.args) < 2:
            continue
        *sources, destination = instruction.args
        for source in sources:
            folder = os.path.normpath(os.path.join(ctx.directory, source))
            if "://" in source or not folder.startswith(ctx.directory) or not os.path.isdir(folder):
                continue
            for relative in _files_below(folder):
                landing = "/" + posixpath.join(destination.strip("/"), relative).lstrip("/")
                if SERVICE_SCRIPT.search(landing):
                    script = _context_script(ctx, instruction, posixpath.join(source, relative),
                                             f"service script {landing}")
                    if script is not None:
                        found.append(script)
    return found


def _files_below(folder: str) -> list[str]:
    found: list[str] = []
    for directory, subdirectories, files in os.walk(folder):
        subdirectories[:] = sorted(d for d in subdirectories if d not in (".git", "node_modules"))
        found.extend(os.path.relpath(os.path.join(directory, name), folder).replace(os.sep, "/") for name in sorted(files))
        if len(found) > MAX_SERVICE_FILES:
            break
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
    # what of rules._installs.DAEMONS the rule is about: installing one into the final image is
    # reported (info) when no start command shown here runs it (a base image's or a hidden
    # script's start may), whichever package manager installs it
    daemon: str | None = None

    def check(self, ctx):
        said = set()
        for start, command in commands_at_start(ctx):
            problem = self.judge(command)
            # 'exec app >> log': the wrapper and the command it runs share the problem
            if problem and (start.file, start.span(command).line, problem) not in said:
                said.add((start.file, start.span(command).line, problem))
                yield Finding(start.span(command), f"{start.origin} {problem}", hint=self.hint, file=start.file)
        if self.daemon is not None and not said:
            from twelvecheck.rules._installs import installed

            package = next((package for package in installed(ctx) if package.is_a(self.daemon)), None)
            if package is not None:
                yield Finding(package.span, f"the final image installs the {self.daemon} '{package.name}' "
                              f"({package.manager}), though no start command shown here runs it",
                              hint=self.install_hint, severity="info")

    install_hint = "leave it out of the image, or run it as its own service"

    def judge(self, command: Command) -> str | None:
        raise NotImplementedError
