"""Compose's dotenv syntax, for the project ``.env``, ``--env-file`` and services' ``env_file``.

``KEY=value``, ``export KEY=value``, ``KEY`` alone (taken from the lookup environment),
``#`` comment lines, `` #`` inline comments after unquoted values, single quotes (literal),
double quotes (escapes, may span lines); unquoted and double-quoted values are interpolated,
looking a name up in the lookup environment first, then in the keys defined above it.
"""

from __future__ import annotations

import re
from collections import ChainMap
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from twelvecheck.parse.compose.interpolation import substitute
from twelvecheck.parse.compose.nodes import ComposeError
from twelvecheck.parse.model import Span
from twelvecheck.lazy_re import lazy_compile

_KEY = lazy_compile(r"\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.\-]*)\s*(=?)")
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "\\": "\\", '"': '"', "$": "$"}


@dataclass(frozen=True, slots=True)
class DotenvEntry:
    name: str
    value: str | None  # None: ``KEY`` alone and not in the lookup environment
    file: str
    span: Span


@dataclass(frozen=True, slots=True)
class Dotenv:
    file: str
    entries: tuple[DotenvEntry, ...]
    errors: tuple[ComposeError, ...]

    def as_dict(self) -> dict[str, str]:
        return {entry.name: entry.value for entry in self.entries if entry.value is not None}


def read_dotenv(path: Path, lookup: Mapping[str, str] | None = None, tree: str | None = None) -> Dotenv:
    """An env file: a regular file inside ``tree`` (see twelvecheck.files), size-capped."""
    from twelvecheck.files import Unreadable, read_bytes

    file = str(path)
    data = read_bytes(file, root=tree)
    if isinstance(data, Unreadable):
        return Dotenv(file, (), (ComposeError(f"env file not read: {data.reason}", file, None, data.outside),))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Dotenv(file, (), (ComposeError(f"cannot read env file: not UTF-8 ({exc.reason})", file),))
    return parse_dotenv(text, file, lookup or {})


def parse_dotenv(text: str, file: str, lookup: Mapping[str, str]) -> Dotenv:
    parser = _Parser(text.replace("\r\n", "\n"), file, lookup)
    parser.run()
    return Dotenv(file, tuple(parser.entries), tuple(parser.errors))


class _Parser:
    def __init__(self, text: str, file: str, lookup: Mapping[str, str]) -> None:
        self.lines = text.split("\n")
        self.file = file
        self.defined: dict[str, str] = {}
        self.env = ChainMap(dict(lookup), self.defined)
        self.entries: list[DotenvEntry] = []
        self.errors: list[ComposeError] = []

    def run(self) -> None:
        index = 0
        while index < len(self.lines):
            index = self._line(index)

    def _line(self, index: int) -> int:
        """Parse the entry starting on line ``index``; return the index of the next line."""
        line = self.lines[index]
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            return index + 1
        key = _KEY.match(line)
        if key is None:
            self._error(f"invalid env line: {stripped[:40]!r}", index, 1)
            return index + 1
        name, has_equals = key.group(1), key.group(2)
        span = Span(index + 1, key.start(1) + 1, index + 1, key.end(1) + 1)
        if not has_equals:
            if line[key.end():].strip():
                self._error(f"invalid env line: {stripped[:40]!r}", index, key.end() + 1)
            else:
                self._add(name, self.env.get(name), span)
            return index + 1
        rest = line[key.end():].lstrip()
        column = len(line) - len(rest) + 1
        if rest[:1] == "'":
            value, next_index = self._quoted(index, rest, column, "'")
        elif rest[:1] == '"':
            value, next_index = self._quoted(index, rest, column, '"')
            value = value and self._expand(_unescape(value), index, column)
        else:
            value = self._expand(_strip_inline_comment(rest).strip(), index, column)
            next_index = index + 1
        if value is not None:
            self._add(name, value, span)
        return next_index

    def _quoted(self, index: int, rest: str, column: int, quote: str) -> tuple[str | None, int]:
        """The text between quotes, which may run over several lines."""
        body, line_index, text = [], index, rest[1:]
        while True:
            end = _closing_quote(text, quote)
            if end >= 0:
                body.append(text[:end])
                return "\n".join(body), line_index + 1
            body.append(text)
            line_index += 1
            if line_index >= len(self.lines):
                self._error(f"unterminated {quote} quote", index, column)
                return None, line_index
            text = self.lines[line_index]

    def _expand(self, value: str, index: int, column: int) -> str:
        result = substitute(value, self.env)
        if result.error:
            self._error(result.error, index, column)
        return result.value

    def _add(self, name: str, value: str | None, span: Span) -> None:
        if value is not None:
            self.defined[name] = value
        self.entries.append(DotenvEntry(name, value, self.file, span))

    def _error(self, message: str, index: int, column: int) -> None:
        self.errors.append(ComposeError(message, self.file, Span.point(index + 1, column)))


def _closing_quote(text: str, quote: str) -> int:
    i = 0
    while i < len(text):
        if quote == '"' and text[i] == "\\":
            i += 2
            continue
        if text[i] == quote:
            return i
        i += 1
    return -1


def _unescape(value: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), value)


def _strip_inline_comment(value: str) -> str:
    match = re.search(r"\s#", value)
    return value[: match.start()] if match else value
