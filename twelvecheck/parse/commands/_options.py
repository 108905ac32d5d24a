"""GNU-style option parsing shared by every tool parser.

A tool declares its options once (canonical name, spellings, whether a value follows) and gets
``-qy`` bundling, ``--opt=value``, ``--opt value``, ``-ovalue``, ``--`` and options mixed with
operands for free, so every rule reads ``-y``, ``--yes`` and ``--assume-yes`` the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from twelvecheck.parse.shell import Word


@dataclass(frozen=True, slots=True)
class Option:
    name: str
    spellings: tuple[str, ...]
    takes_value: bool


def flag(name: str, *spellings: str) -> Option:
    return Option(name, spellings or (f"--{name}",), False)


def valued(name: str, *spellings: str) -> Option:
    return Option(name, spellings or (f"--{name}",), True)


class OptionTable:
    """The options of one tool. ``single_dash_long`` is for tools like ``go`` whose long
    options take one dash (``-ldflags``): an unknown ``-abc`` is then one option, not a bundle."""

    def __init__(self, *options: Option, single_dash_long: bool = False) -> None:
        self.by_spelling = {spelling: option for option in options for spelling in option.spellings}
        self.single_dash_long = single_dash_long


@dataclass(frozen=True, slots=True)
class ParsedArguments:
    options: dict[str, list[str | None]]
    operands: tuple[Word, ...]


def parse_options(words: Sequence[Word], table: OptionTable) -> ParsedArguments:
    """Split ``words`` into options (by canonical name, each occurrence's value in order) and
    operands. Unknown options are kept under their own spelling without dashes."""
    options: dict[str, list[str | None]] = {}
    operands: list[Word] = []
    index = 0
    while index < len(words):
        text = words[index].value
        index += 1
        if text == "--":
            operands.extend(words[index:])
            break
        if not text.startswith("-") or text == "-":
            operands.append(words[index - 1])
            continue
        following = words[index].value if index < len(words) else None
        consumed_next = _read_option(text, following, table, options)
        index += consumed_next
    return ParsedArguments(options, tuple(operands))


def _read_option(text: str, following: str | None, table: OptionTable,
                 options: dict[str, list[str | None]]) -> bool:
    """Record the option word ``text``; return True when its value was the next word."""
    spelling, equals, attached = text.partition("=")
    option = table.by_spelling.get(spelling)
    if option is not None or text.startswith("--") or table.single_dash_long:
        name = option.name if option else spelling.lstrip("-")
        if equals:
            options.setdefault(name, []).append(attached)
            return False
        wants_value = option is not None and option.takes_value
        options.setdefault(name, []).append(following if wants_value else None)
        return wants_value and following is not None
    return _read_bundle(text, following, table, options)


def _read_bundle(text: str, following: str | None, table: OptionTable,
                 options: dict[str, list[str | None]]) -> bool:
    """``-qqy``: one option per letter; a letter taking a value takes the rest of the word,
    or the next word when it is last (``-oAPT::X=1``, ``-o APT::X=1``)."""
    for position in range(1, len(text)):
        option = table.by_spelling.get(f"-{text[position]}")
        if option is None:
            options.setdefault(text[position], []).append(None)
            continue
        if option.takes_value:
            rest = text[position + 1:]
            options.setdefault(option.name, []).append(rest or following)
            return not rest and following is not None
        options.setdefault(option.name, []).append(None)
    return False
