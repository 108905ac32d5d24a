"""The values a parsed RUN script is made of.

Offsets are 0-based indexes into the text given to ``parse_script`` (end exclusive), so a rule
maps them to lines and columns with the instruction's ``SourceMap``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Word:
    """One shell word: ``value`` has quotes removed and escapes resolved; ``$VAR``, ``$(...)``
    and globs are left literally because their meaning is only known at build time."""

    value: str
    raw: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Redirect:
    """``2>&1``, ``> /dev/null``, ``<<EOF``; ``body`` is a here-document's text when the script
    holds it (in a Dockerfile, BuildKit usually takes the body out of RUN first)."""

    op: str
    target: Word
    fd: int | None
    body: str | None = None


@dataclass(frozen=True, slots=True)
class Command:
    """One simple command, wherever it sits (pipeline, list, subshell, if/for/case body).

    ``connector`` is the operator after the pipeline this command belongs to (a newline counts
    as ``;``); every member of a pipeline shares it and is told apart by ``pipe_position``.
    ``depth`` counts subshells and ``sh -c`` strings around the command; ``wrapped_by`` names
    the wrapper (``sudo``, ``sh -c``, ...) the command was taken out of.
    """

    argv: tuple[Word, ...]
    assignments: tuple[Word, ...]
    redirects: tuple[Redirect, ...]
    start: int
    end: int
    connector: str | None = None
    pipe_position: int = 0
    pipeline_length: int = 1
    negated: bool = False
    in_subshell: bool = False
    background: bool = False
    depth: int = 0
    wrapped_by: str | None = None
    # The program's basename: ``/usr/bin/apt-get`` and ``apt-get`` are the same tool. Set once
    # from ``argv``: every shell rule asks for it, for every command.
    name: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", self.argv[0].value.rsplit("/", 1)[-1] if self.argv else "")

    @property
    def args(self) -> tuple[str, ...]:
        return tuple(word.value for word in self.argv[1:])


@dataclass(frozen=True, slots=True)
class Script:
    """All commands of a script in source order, wrapped ones included, plus what went wrong
    while reading it (the commands are still the best reading of the text).

    ``substituted`` holds the commands inside ``$(...)`` and backticks, kept apart because a
    word like ``$(uname -m)`` is a value, not a step of the script; rules about what runs at
    all (pipes, downloaders) read ``all_commands``."""

    commands: tuple[Command, ...]
    errors: tuple[str, ...] = ()
    substituted: tuple[Command, ...] = ()

    def __iter__(self) -> Iterator[Command]:
        return iter(self.commands)

    def __len__(self) -> int:
        return len(self.commands)

    @property
    def all_commands(self) -> tuple[Command, ...]:
        if not self.substituted:
            return self.commands
        return tuple(sorted(self.commands + self.substituted, key=lambda command: command.start))

    def find(self, name: str) -> list[Command]:
        return [command for command in self.commands if command.name == name]

    @property
    def has_pipefail(self) -> bool:
        """True when some ``set`` turns pipefail on (``-o pipefail``, ``-euxo pipefail``)."""
        return any(_sets_pipefail(command.args) for command in self.find("set"))


def _sets_pipefail(args: tuple[str, ...]) -> bool:
    return any(
        value == "pipefail" and previous.startswith("-") and "o" in previous
        for previous, value in zip(args, args[1:])
    )
