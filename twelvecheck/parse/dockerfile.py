"""Dockerfile parser that agrees with BuildKit's and keeps what BuildKit throws away.

It follows BuildKit's ``parser.Parse`` line by line (directives, the escape character,
continuations with blank and comment lines inside them, heredocs) so that every instruction
has the keyword, flags, values and line span BuildKit sees; ``tests/parse`` checks that against
BuildKit's own parser on the whole corpus. On top of that it keeps comments (for pragmas),
columns, and recovers from errors: a bad instruction becomes a ``ParseError`` and the rest of
the file is still parsed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from twelvecheck.parse.model import (
    Comment,
    Directive,
    Dockerfile,
    Flag,
    Heredoc,
    Instruction,
    ParseError,
    SourceMap,
    Span,
    Stage,
)
from twelvecheck.parse.words import (
    WHITESPACE,
    NotStringArray,
    parse_json_array,
    split_shell_words,
    split_whitespace,
    split_words,
    unquote_shell_word,
)
from twelvecheck.lazy_re import lazy_compile
from twelvecheck.parse.words import bounded_int

DIRECTIVE = lazy_compile(r"^#[ \t]*([a-zA-Z][a-zA-Z0-9]*)[ \t]*=[ \t]*(.+?)[ \t]*$")
KNOWN_DIRECTIVES = frozenset({"escape", "syntax", "check"})
HEREDOC_WORD = lazy_compile(r"^(\d*)<<(-?)([^<]*)$")
HEREDOC_KEYWORDS = frozenset({"RUN", "COPY", "ADD"})


class InstructionError(ValueError):
    """An instruction BuildKit's parser refuses."""


class _Logical:
    """One logical line: physical pieces joined after removing continuation characters."""

    __slots__ = ("pieces", "length", "segments", "_text")

    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.length = 0
        self.segments: list[tuple[int, int, int]] = []
        self._text: str | None = ""

    def add(self, piece: str, line: int, column: int) -> None:
        self.segments.append((self.length, line, column))
        self.pieces.append(piece)  # joined once when read: a RUN continued over a million lines stays linear
        self.length += len(piece)
        self._text = None

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = "".join(self.pieces)
        return self._text

    def source_map(self, start: int) -> SourceMap:
        """The map for ``text[start:]``."""
        if len(self.segments) == 1:  # one physical line, the common case
            _, line, column = self.segments[0]
            return SourceMap(((0, line, column + start),))
        shifted: list[tuple[int, int, int]] = []
        for offset, line, column in self.segments:
            if offset <= start:
                shifted = [(0, line, column + (start - offset))]
            else:
                shifted.append((offset - start, line, column))
        return SourceMap(tuple(shifted))


def _is_comment(line: str) -> bool:
    return line.lstrip().startswith("#")


def _trim_newline(line: str) -> str:
    return line.rstrip("\r\n")


def _split_lines(text: str) -> list[str]:
    """Split on '\\n' only, keeping it, as BuildKit's scanner does (not on other line breaks)."""
    pieces = text.split("\n")
    lines = [piece + "\n" for piece in pieces[:-1]]
    if pieces[-1]:
        lines.append(pieces[-1])
    return lines


class _DirectiveReader:
    """Reads parser directives until the first line that is not one."""

    def __init__(self) -> None:
        self.done = False
        self.directives: list[Directive] = []
        self.escape = "\\"
        self.continuation = self._continuation_pattern("\\")

    @staticmethod
    def _continuation_pattern(escape: str) -> re.Pattern[str]:
        # An escape character that is itself escaped does not continue the line.
        token = re.escape(escape)
        return re.compile(f"(?<!{token}){token}[ \\t]*$")

    def read(self, token: str, line: int, column: int) -> str | None:
        """Consider one line; return an error message for a bad directive."""
        if self.done:
            return None
        match = DIRECTIVE.match(token)
        if match is None or match.group(1).lower() not in KNOWN_DIRECTIVES:
            self.done = True
            return None
        name, value = match.group(1).lower(), match.group(2)
        if any(seen.name == name for seen in self.directives):
            return f"only one {name} parser directive can be used"
        span = Span(line, column, line, column + len(token))
        self.directives.append(Directive(name, value, span))
        if name == "escape":
            if value not in ("\\", "`"):
                return f"invalid escape token '{value}' does not match ` or \\"
            self.escape = value
            self.continuation = self._continuation_pattern(value)
        return None


# A flag word of printable ASCII without quotes or backslashes: read as it is written.
_SIMPLE_FLAG = lazy_compile(r"--[!#-&(-\[\]-~]*")


def _extract_flags(text: str, base: int, where: _Logical) -> tuple[int, list[Flag]]:
    """BuildKit's ``extractBuilderFlags``: leading ``--flag`` words; returns where the rest starts."""
    flags: list[Flag] = []
    pos, end = 0, len(text)
    while pos < end:
        if text[pos].isspace():
            pos += 1
            continue
        if not text.startswith("--", pos):
            return pos, flags
        start = pos
        raw, blank_ok, pos = _flag_word(text, pos)
        if raw == "--":
            return (pos if pos < end else end), flags
        if blank_ok or raw:
            name, sep, value = raw[2:].partition("=")
            span = where.source_map(base + start).span(0, pos - start)
            flags.append(Flag(name, value if sep else None, raw, span))
    return end, flags


def _flag_word(text: str, pos: int) -> tuple[str, bool, int]:
    """The flag word at ``pos`` with quotes and escapes removed, whether it was quoted, and
    where it ends."""
    end = len(text)
    simple = _SIMPLE_FLAG.match(text, pos)
    if simple is not None and (simple.end() == end or text[simple.end()].isspace()):
        return simple.group(), False, simple.end()
    word: list[str] = []
    quote = ""
    blank_ok = False
    while pos < end:
        ch = text[pos]
        if quote:
            if ch == quote:
                quote = ""
                pos += 1
                continue
        elif ch.isspace():
            break
        elif ch in "'\"":
            quote, blank_ok = ch, True
            pos += 1
            continue
        if ch == "\\":
            if pos + 1 == end:
                quote = ""
                pos += 1
                continue
            pos += 1
            ch = text[pos]
        # BuildKit reads flags byte by byte, so a non-ASCII character becomes its UTF-8
        # bytes taken as Latin-1 characters; we keep its reading, mangled as it is.
        word.append(ch if ch.isascii() else ch.encode("utf-8", "surrogatepass").decode("latin-1"))
        pos += 1
    return "".join(word), blank_ok, pos


_LineParser = Callable[[str, str], tuple[tuple[str, ...], bool]]


def _parse_maybe_json(args: str, escape: str) -> tuple[tuple[str, ...], bool]:
    if args == "":
        return (), False
    words = parse_json_array(args)
    if words is not None:
        return tuple(words), True
    return (args,), False


def _parse_maybe_json_to_list(args: str, escape: str) -> tuple[tuple[str, ...], bool]:
    words = parse_json_array(args)
    if words is not None:
        return tuple(words), True
    return tuple(split_whitespace(args)), False


def _parse_string(args: str, escape: str) -> tuple[tuple[str, ...], bool]:
    return ((args,) if args else ()), False


def _parse_whitespace(args: str, escape: str) -> tuple[tuple[str, ...], bool]:
    return tuple(split_whitespace(args)), False


def _name_value_parser(keyword: str) -> _LineParser:
    def parse(args: str, escape: str) -> tuple[tuple[str, ...], bool]:
        words = split_words(args, escape)
        if not words:
            return (), False
        if "=" not in words[0]:
            parts = WHITESPACE.split(args, maxsplit=1)
            if len(parts) < 2:
                raise InstructionError(f"{keyword} must have two arguments")
            return (parts[0], parts[1]), False
        values: list[str] = []
        for word in words:
            if "=" not in word:
                raise InstructionError(
                    f"Syntax error - can't find = in {word!r}. Must be of the form: name=value"
                )
            values.extend(word.split("=", 1))
        return tuple(values), False

    return parse


def _parse_arg(args: str, escape: str) -> tuple[tuple[str, ...], bool]:
    return tuple(split_words(args, escape)), False


def _parse_healthcheck(args: str, escape: str) -> tuple[tuple[str, ...], bool]:
    sep = 0
    while sep < len(args) and not args[sep].isspace():
        sep += 1
    if sep == 0:
        return (), False
    rest = args[sep:].lstrip()
    command, is_json = _parse_maybe_json(rest, escape)
    return (args[:sep], *command), is_json


def _parse_unknown(args: str, escape: str) -> tuple[tuple[str, ...], bool]:
    return ("",), False


LINE_PARSERS: dict[str, _LineParser] = {
    "ADD": _parse_maybe_json_to_list,
    "ARG": _parse_arg,
    "CMD": _parse_maybe_json,
    "COPY": _parse_maybe_json_to_list,
    "ENTRYPOINT": _parse_maybe_json,
    "ENV": _name_value_parser("ENV"),
    "EXPOSE": _parse_whitespace,
    "FROM": _parse_whitespace,
    "HEALTHCHECK": _parse_healthcheck,
    "LABEL": _name_value_parser("LABEL"),
    "MAINTAINER": _parse_string,
    "RUN": _parse_maybe_json,
    "SHELL": _parse_maybe_json,
    "STOPSIGNAL": _parse_string,
    "USER": _parse_string,
    "VOLUME": _parse_maybe_json_to_list,
    "WORKDIR": _parse_string,
}
KNOWN_KEYWORDS = frozenset(LINE_PARSERS) | {"ONBUILD"}


@dataclass(slots=True)
class _Parts:
    """An instruction before heredocs are attached."""

    keyword: str
    written_keyword: str
    flags: tuple[Flag, ...]
    args: tuple[str, ...]
    json: bool
    text: str
    text_map: SourceMap
    onbuild: _Parts | None


def _split_instruction(where: _Logical, start: int, escape: str) -> _Parts:
    """BuildKit's ``newNodeFromLine`` on ``where.text[start:]``."""
    line = where.text[start:]
    lead = len(line) - len(line.lstrip())
    stripped = line.strip()
    pieces = WHITESPACE.split(stripped, maxsplit=1)
    written = pieces[0]
    keyword = written.upper()
    flags: tuple[Flag, ...] = ()
    args = ""
    args_at = start + lead + len(stripped)
    if len(pieces) == 2:
        rest_at = start + lead + stripped.index(pieces[1], len(written))
        # flags come first and start with '--' (after blanks the split keeps: U+2003 and the like)
        rest_start, found = _extract_flags(pieces[1], rest_at, where) if pieces[1].lstrip().startswith("--") else (0, ())
        flags = tuple(found)
        remainder = pieces[1][rest_start:] if rest_start else pieces[1]
        args = remainder.strip()
        args_at = rest_at + rest_start + (len(remainder) - len(remainder.lstrip()))
    onbuild = None
    if keyword == "ONBUILD":
        values: tuple[str, ...] = ()
        is_json = False
        if args:
            onbuild = _split_instruction(where, args_at, escape)
    else:
        values, is_json = LINE_PARSERS.get(keyword, _parse_unknown)(args, escape)
    return _Parts(
        keyword, written, flags, values, is_json, args, where.source_map(args_at), onbuild
    )


def _heredoc_markers(line: str) -> list[tuple[str, bool, bool, int]]:
    """Heredoc markers on an instruction line: (name, expand, chomp, file descriptor)."""
    markers = []
    for word in split_shell_words(line):
        match = HEREDOC_WORD.match(word)
        if match is None or not match.group(3):
            continue
        rest = match.group(3)
        name, _ = unquote_shell_word(rest)
        if not name or any(ch.isspace() for ch in name):
            continue
        quotes = lambda s: s.count("'") + s.count('"')  # noqa: E731
        expand = quotes(name) == quotes(rest)
        fd = bounded_int(match.group(1)) or 0 if match.group(1) else 0
        markers.append((name, expand, match.group(2) == "-", fd))
    return markers


class _Parser:
    def __init__(self, text: str, path: str) -> None:
        self.path = path
        self.lines = _split_lines(text)
        self.index = 0  # lines consumed
        self.directive_reader = _DirectiveReader()
        self.comments: list[Comment] = []
        self.instructions: list[Instruction] = []
        self.errors: list[ParseError] = []
        self.empty_continuations: list[Span] = []

    def _next_line(self) -> str:
        raw = self.lines[self.index]
        self.index += 1
        if self.index == 1 and raw.startswith("\ufeff"):
            raw = raw[1:]
        return raw

    def _note_comment(self, raw: str) -> None:
        stripped = _trim_newline(raw).lstrip()
        column = len(_trim_newline(raw)) - len(stripped) + 1
        self.comments.append(
            Comment(
                stripped[1:].strip(),
                Span(self.index, column, self.index, column + len(stripped)),
            )
        )

    def _error(self, message: str, start: int, end: int | None = None) -> None:
        end = start if end is None else end
        self.errors.append(ParseError(message, Span(start, 1, end, 1 + len(self.line_text(end)))))

    def line_text(self, line: int) -> str:
        if 1 <= line <= len(self.lines):
            return _trim_newline(self.lines[line - 1])
        return ""

    def parse(self) -> None:
        reader = self.directive_reader
        while self.index < len(self.lines):
            raw = self._next_line()
            token = _trim_newline(raw)
            stripped = token.lstrip()
            column = len(token) - len(stripped) + 1
            problem = reader.read(stripped, self.index, column)
            if problem:
                self._error(problem, self.index)
            if _is_comment(raw):
                self._note_comment(raw)
                continue
            start_line = self.index
            logical = _Logical()
            end_of_line = self._add_piece(logical, stripped, start_line, column)
            if end_of_line and logical.text == "":
                continue
            has_empty_continuation = False
            while not end_of_line and self.index < len(self.lines):
                raw = self._next_line()
                token = _trim_newline(raw)
                if _is_comment(raw):
                    self._note_comment(raw)
                    continue
                if token.strip() == "":
                    has_empty_continuation = True
                    continue
                end_of_line = self._add_piece(logical, token, self.index, 1)
            if has_empty_continuation:
                self.empty_continuations.append(Span(start_line, 1, self.index, 1))
            self._finish_instruction(logical, start_line)

    def _add_piece(self, logical: _Logical, token: str, line: int, column: int) -> bool:
        """Append one physical line; return True when it does not continue."""
        reader = self.directive_reader
        # only a line holding the escape character can end with one
        trimmed = reader.continuation.sub("", token, count=1) if reader.escape in token else token
        logical.add(trimmed, line, column)
        return trimmed == token

    def _finish_instruction(self, logical: _Logical, start_line: int) -> None:
        escape = self.directive_reader.escape
        try:
            parts = _split_instruction(logical, 0, escape)
        except (InstructionError, NotStringArray) as error:
            self._error(str(error), start_line, self.index)
            return
        heredoc_parts = parts.onbuild if parts.keyword == "ONBUILD" and parts.onbuild else parts
        heredocs: tuple[Heredoc, ...] = ()
        if (
            heredoc_parts.keyword in HEREDOC_KEYWORDS
            and not heredoc_parts.json
            and "<<" in logical.text
        ):
            heredocs = self._read_heredocs(logical.text, start_line)
            if heredocs is None:
                return
        original = logical.text + "".join(
            "\n" + heredoc.body + heredoc.name for heredoc in heredocs
        )
        span = Span(start_line, logical.segments[0][2], self.index, 1 + len(self.line_text(self.index)))
        self.instructions.append(_build(parts, heredocs, original, span))

    def _read_heredocs(self, line: str, start_line: int) -> tuple[Heredoc, ...] | None:
        heredocs = []
        for name, expand, chomp, fd in _heredoc_markers(line):
            body: list[str] = []
            first = self.index + 1
            terminated = False
            while self.index < len(self.lines):
                raw = self._next_line()
                candidate = _trim_newline(raw)
                if chomp:
                    candidate = candidate.lstrip("\t")
                if candidate == name:
                    terminated = True
                    break
                body.append(raw)
            if not terminated:
                self._error(f"unterminated heredoc {name!r}", start_line, self.index)
                return None
            span = Span(first, 1, self.index, 1 + len(self.line_text(self.index)))
            heredocs.append(Heredoc(name, "".join(body), expand, chomp, fd, span))
        return tuple(heredocs)


def _build(
    parts: _Parts, heredocs: tuple[Heredoc, ...], original: str, span: Span
) -> Instruction:
    inner = None
    if parts.onbuild is not None:
        inner = _build(parts.onbuild, heredocs, original, span)
        heredocs = ()
    return Instruction(
        keyword=parts.keyword,
        written_keyword=parts.written_keyword,
        flags=parts.flags,
        args=parts.args,
        json=parts.json,
        text=parts.text,
        text_map=parts.text_map,
        heredocs=heredocs,
        original=original,
        span=span,
        onbuild=inner,
    )


def _stages(instructions: tuple[Instruction, ...]) -> tuple[tuple[Instruction, ...], tuple[Stage, ...]]:
    global_args: list[Instruction] = []
    stages: list[Stage] = []
    for instruction in instructions:
        if instruction.keyword == "FROM":
            words = instruction.args
            written_name = words[2] if len(words) >= 3 and words[1].lower() == "as" else None
            platform = instruction.flag("platform")
            stages.append(
                Stage(
                    index=len(stages),
                    name=written_name.lower() if written_name else None,
                    written_name=written_name,
                    base=words[0] if words else "",
                    platform=platform.value if platform else None,
                    from_instruction=instruction,
                )
            )
        elif stages:
            stages[-1].instructions.append(instruction)
        elif instruction.keyword == "ARG":
            global_args.append(instruction)
    return tuple(global_args), tuple(stages)


# BuildKit's instruction parser (not its line parser, which the oracle wraps) refuses these
# argument counts; the instruction stays in the model so positions still agree with BuildKit's.
_AT_LEAST_ONE = frozenset({"ARG", "ENV", "EXPOSE", "LABEL", "VOLUME", "SHELL", "HEALTHCHECK", "ONBUILD"})
_EXACTLY_ONE = frozenset({"USER", "WORKDIR", "STOPSIGNAL", "MAINTAINER"})


def _argument_problem(instruction: Instruction) -> str | None:
    """BuildKit's error for an instruction with missing or malformed arguments, else None."""
    keyword, args = instruction.keyword, instruction.args
    if keyword not in KNOWN_KEYWORDS:
        return f"unknown instruction: {instruction.written_keyword}"
    if keyword == "FROM" and len(args) not in (1, 3):
        return "FROM requires either one or three arguments"
    if keyword == "FROM" and len(args) == 3 and args[1].upper() != "AS":
        return "FROM: the second argument must be AS (FROM image AS name)"
    if keyword in ("COPY", "ADD") and len(args) < 2:
        if not args:
            return f"{keyword} requires at least two arguments"
        return f"{keyword} requires at least two arguments, but only one was provided. Destination could not be determined"
    if keyword in _AT_LEAST_ONE and not args:
        return f"{keyword} requires at least one argument"
    if keyword in _EXACTLY_ONE and not args:
        return f"{keyword} requires exactly one argument"
    if keyword == "ARG" and any(word.split("=", 1)[0] == "" for word in args):
        return "ARG names can not be blank"
    if keyword == "HEALTHCHECK":
        return _healthcheck_problem(args)
    return None


def _healthcheck_problem(args: tuple[str, ...]) -> str | None:
    kind = args[0].upper()
    if kind == "NONE":
        return "HEALTHCHECK NONE takes no arguments" if len(args) > 1 else None
    if kind != "CMD":
        return f"Unknown type {args[0]!r} in HEALTHCHECK (try CMD)"
    if len(args) < 2 or args[1:] == ("",):
        return "Missing command after HEALTHCHECK CMD"
    return None


def parse(text: str, path: str = "Dockerfile") -> Dockerfile:
    """Parse Dockerfile text. Never raises: problems are ``ParseError`` values on the result."""
    parser = _Parser(text, path)
    parser.parse()
    instructions = tuple(parser.instructions)
    errors = list(parser.errors)
    if not instructions and not errors:
        errors.append(ParseError("file with no instructions", Span(1, 1, 1, 1)))
    for instruction in instructions:
        problem = _argument_problem(instruction.onbuild or instruction)
        if problem:
            errors.append(ParseError(problem, instruction.span))
    global_args, stages = _stages(instructions)
    return Dockerfile(
        path=path,
        text=text,
        escape=parser.directive_reader.escape,
        directives=tuple(parser.directive_reader.directives),
        comments=tuple(parser.comments),
        instructions=instructions,
        global_args=global_args,
        stages=stages,
        errors=tuple(errors),
        empty_continuations=tuple(parser.empty_continuations),
    )
