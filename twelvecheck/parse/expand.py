"""Variable expansion in Dockerfile arguments, with BuildKit's rules.

BuildKit expands ``$VAR`` and ``${VAR...}`` in the arguments of ADD, COPY, ENV, EXPOSE, FROM,
LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR, ONBUILD and ARG, removing quotes and escapes as it
goes. This module does the same so rules judge the value the build will really use
(``FROM ${IMAGE}:${TAG}`` resolved with the ARG defaults). It never raises.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from twelvecheck.lazy_re import lazy_compile

_NAME_START = lazy_compile(r"[A-Za-z_]")
_NAME = lazy_compile(r"[A-Za-z0-9_]*")
_SPECIAL = frozenset("0123456789*#@$?!-")
MAX_PATTERN_VALUE = 4096  # ${A%%pat} on longer values is left as is (no real value is this long)
MAX_NESTING = 100  # ${…} inside ${…}: deeper than any real file, well inside Python's stack


@dataclass(slots=True)
class Expansion:
    """The expanded text and what the expansion looked at."""

    value: str
    used: set[str] = field(default_factory=set)  # names referenced
    missing: set[str] = field(default_factory=set)  # referenced, not set, and no default applied


class _Lexer:
    def __init__(self, text: str, env: Mapping[str, str], escape: str) -> None:
        self.text = text
        self.pos = 0
        self.env = env
        self.escape = escape
        self.used: set[str] = set()
        self.missing: set[str] = set()
        self.depth = 0  # ${...} nesting; past MAX_NESTING the rest is taken literally

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def next(self) -> str:
        ch = self.peek()
        self.pos += 1
        return ch

    def words(self) -> list[str]:
        """Whitespace-separated words with quotes removed (BuildKit's ``ProcessWords``)."""
        words: list[str] = []
        word: list[str] = []
        in_word = False
        while self.pos < len(self.text):
            ch = self.peek()
            if ch.isspace():
                self.pos += 1
                if in_word:
                    words.append("".join(word))
                    word, in_word = [], False
                continue
            in_word = True
            word.append(self._unit(stop=""))
        if in_word:
            words.append("".join(word))
        return words

    def word(self, stop: str = "") -> str:
        """Everything up to an unquoted ``stop`` character (or the end), expanded."""
        out: list[str] = []
        text, plain = self.text, _plain_run(self.escape, stop)
        while self.pos < len(text) and text[self.pos] not in stop:
            run = plain.match(text, self.pos)  # ordinary characters stand for themselves: take them at once
            if run is not None:
                out.append(run.group())
                self.pos = run.end()
            else:
                out.append(self._unit(stop))
        return "".join(out)

    def _unit(self, stop: str) -> str:
        ch = self.next()
        if ch == "'":
            return self._single_quoted()
        if ch == '"':
            return self._double_quoted()
        if ch == "$":
            return self._variable()
        if ch == self.escape:
            if self.pos >= len(self.text):
                return ""
            return self.next()
        return ch

    def _single_quoted(self) -> str:
        end = self.text.find("'", self.pos)
        if end < 0:
            end = len(self.text)
        value = self.text[self.pos : end]
        self.pos = end + 1
        return value

    def _double_quoted(self) -> str:
        out: list[str] = []
        while self.pos < len(self.text):
            ch = self.next()
            if ch == '"':
                break
            if ch == "$":
                out.append(self._variable())
            elif ch == self.escape and self.peek() in ('"', "$", self.escape):
                out.append(self.next())
            else:
                out.append(ch)
        return "".join(out)

    def _lookup(self, name: str) -> str | None:
        self.used.add(name)
        return self.env.get(name)

    def _variable(self) -> str:
        ch = self.peek()
        if ch == "{":
            self.pos += 1
            return self._braced()
        if ch and _NAME_START.match(ch):
            name = _NAME.match(self.text, self.pos).group(0)  # type: ignore[union-attr]
            self.pos += len(name)
            value = self._lookup(name)
            if value is None:
                self.missing.add(name)
            return value or ""
        if ch and ch in _SPECIAL:
            self.pos += 1
            return ""
        return "$"

    def _braced(self) -> str:
        if self.depth >= MAX_NESTING:  # ${a:-${a:-${a:-…}}} thousands deep: no recursion error
            rest, self.pos = self.text[self.pos:], len(self.text)
            return "${" + rest
        self.depth += 1
        try:
            return self._braced_inner()
        finally:
            self.depth -= 1

    def _braced_inner(self) -> str:
        match = _NAME.match(self.text, self.pos)
        name = match.group(0) if match else ""
        self.pos += len(name)
        value = self._lookup(name) if name else None
        op = self.next()
        if op == "}":
            if value is None:
                self.missing.add(name)
            return value or ""
        if op == ":":
            op += self.next()
        elif op in "#%/" and self.peek() == op:
            op += self.next()
        operand = self.word(stop="}")
        self.pos += 1  # the closing brace
        return self._apply(name, value, op, operand)

    def _apply(self, name: str, value: str | None, op: str, operand: str) -> str:
        unset_or_empty = value is None or value == ""
        if op in (":-", "-"):
            empty = unset_or_empty if op == ":-" else value is None
            return operand if empty else (value or "")
        if op in (":+", "+"):
            empty = unset_or_empty if op == ":+" else value is None
            return "" if empty else operand
        if op in (":?", "?"):
            if unset_or_empty if op == ":?" else value is None:
                self.missing.add(name)
            return value or ""
        if value is None:
            self.missing.add(name)
            return ""
        return _pattern_op(value, op, operand)


def _pattern_op(value: str, op: str, operand: str) -> str:
    if len(value) > MAX_PATTERN_VALUE:  # each cut is a match: quadratic in the value's length
        return value
    if op in ("#", "##"):
        cuts = range(len(value) + 1) if op == "#" else range(len(value), -1, -1)
        for cut in cuts:
            if fnmatch.fnmatchcase(value[:cut], operand):
                return value[cut:]
        return value
    if op in ("%", "%%"):
        cuts = range(len(value), -1, -1) if op == "%" else range(len(value) + 1)
        for cut in cuts:
            if fnmatch.fnmatchcase(value[cut:], operand):
                return value[:cut]
        return value
    if op in ("/", "//"):
        pattern, _, replacement = operand.partition("/")
        regex = fnmatch.translate(pattern).replace(r"\Z", "") if pattern else None
        if regex is None:
            return value
        regex = regex[4:-1] if regex.startswith("(?s:") else regex
        return re.sub(regex, lambda _: replacement, value, count=0 if op == "//" else 1)
    return value


_PLAIN_RUNS: dict[tuple[str, str], re.Pattern[str]] = {}


def _plain_run(escape: str, stop: str) -> re.Pattern[str]:
    """A run of characters that expand to themselves: no quote, ``$``, escape or ``stop``."""
    found = _PLAIN_RUNS.get((escape, stop))
    if found is None:
        found = _PLAIN_RUNS[(escape, stop)] = re.compile("[^" + re.escape("'\"$" + escape + stop) + "]+")
    return found


def is_literal(text: str, escape: str = "\\") -> bool:
    """The text has no quote, ``$`` or escape character: it expands to itself, whatever is set."""
    return not text or _plain_run(escape, "").fullmatch(text) is not None


def expand(text: str, env: Mapping[str, str], escape: str = "\\") -> Expansion:
    """Expand ``text`` as one string, as BuildKit would (rules judge values this way)."""
    if is_literal(text, escape):
        return Expansion(text)
    lexer = _Lexer(text, env, escape)
    value = lexer.word()
    return Expansion(value, lexer.used, lexer.missing)


def expand_words(text: str, env: Mapping[str, str], escape: str = "\\") -> list[str]:
    """Expand ``text`` into whitespace-separated words (BuildKit's ``ProcessWords``)."""
    return _Lexer(text, env, escape).words()
