"""The shell model of RUN instructions: ``parse_script(text) -> Script``.

Rules never look at raw RUN text; they ask this model which commands run, with which words,
joined by which operators, at which offsets.

Why our own reader rather than bashlex: on the 1,692 shell bodies of our corpus bashlex rejects
18% (``[[ ]]``, ``case`` patterns, ``$(( ))``, arrays, functions) and needs 1.4 s for the rest,
plus 100 ms to import; a fallback tokenizer would have to produce the same model anyway, so two
readers would only disagree with each other. The reader here handles all of those, never raises,
and reports what it could not make sense of in ``Script.errors``.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from operator import attrgetter

from twelvecheck.parse._shell_grammar import parse_tokens
from twelvecheck.parse._shell_lexer import tokenize
from twelvecheck.parse._shell_model import Command, Redirect, Script, Word
from twelvecheck.parse._shell_wrappers import WRAPPER_NAMES, substitutions, unwrap

__all__ = ["Command", "Redirect", "Script", "Word", "parse_script", "substituted_scripts"]

MAX_ERRORS = 20  # one finding names the first problems; garbage input must not make a million
_BY_START = attrgetter("start")


@lru_cache(maxsize=1024)
def parse_script(text: str) -> Script:
    """Read ``text`` as POSIX sh (with the bash extensions Dockerfiles use); never raises.

    Cached because every shell rule asks for the same RUN body."""
    with _collector_paused():
        return _read(text)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Reading a script makes many small objects and no reference cycles (over a million for
    a 100k-line RUN); the cyclic collector would walk them again and again as they pile up, a
    third of the reading time. The engine pauses it per lint batch; this covers every other
    caller. Nothing changes when it is already paused."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _read(text: str) -> Script:
    try:
        commands, errors = _parse(text, 0)
    except RecursionError:
        return Script((), ("script is nested too deeply to read",))
    substituted = _substituted(commands, errors)
    if len(errors) > MAX_ERRORS:
        errors[MAX_ERRORS:] = [f"... and {len(errors) - MAX_ERRORS} more problems"]
    return Script(tuple(sorted(commands, key=_BY_START)), tuple(errors),
                  tuple(sorted(substituted, key=_BY_START)))


def _substituted(commands: list[Command], errors: list[str]) -> list[Command]:
    """Commands inside ``$(...)`` and backticks, at any nesting (their own depth bounds it)."""
    found: list[Command] = []
    layer = commands
    while layer:
        layer = [inner for command in layer for inner in substitutions(command, _parse, errors)]
        found.extend(layer)
    return found


def _parse(text: str, depth: int) -> tuple[list[Command], list[str]]:
    errors: list[str] = []
    commands = parse_tokens(tokenize(text, errors), depth, errors)
    if not any(command.name in WRAPPER_NAMES for command in commands):
        return commands, errors  # fast path: no command runs another one
    with_wrapped = []
    for command in commands:
        with_wrapped.append(command)
        if command.name in WRAPPER_NAMES:  # no other command runs one: skip asking
            with_wrapped.extend(unwrap(command, _parse, errors))
    return with_wrapped, errors


def substituted_scripts(word: Word) -> list[Script]:
    """The scripts a word runs through command or process substitution: ``$(curl …)``,
    ``<(curl …)``, backticks (substitutions stay opaque text inside words; this reads them)."""
    from twelvecheck.parse._shell_lexer import _skip_backticks, _skip_parens

    raw, found, index = word.raw, [], 0
    while index < len(raw):
        char = raw[index]
        if char == "\\":
            index += 2
        elif char == "'" and not raw.startswith("$'", index - 1):
            end = raw.find("'", index + 1)
            index = len(raw) if end < 0 else end + 1
        elif raw.startswith(("$(", "<(", ">("), index) and not raw.startswith("$((", index):
            end = min(_skip_parens(raw, index + 2), len(raw) + 1)
            found.append(parse_script(raw[index + 2:end - 1]))
            index = end
        elif char == "`":
            end = min(_skip_backticks(raw, index + 1), len(raw) + 1)
            found.append(parse_script(raw[index + 1:end - 1]))
            index = end
        else:
            index += 1
    return found
