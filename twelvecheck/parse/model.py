"""The parsed Dockerfile: immutable values with exact source positions.

Positions are 1-based lines and columns; ``end_column`` is exclusive (the column after the last
character), as in SARIF regions.  Every value that comes from the source keeps a ``Span``.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Span:
    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def point(cls, line: int, column: int = 1) -> Span:
        return cls(line, column, line, column + 1)


@dataclass(frozen=True, slots=True)
class Directive:
    """A parser directive at the top of the file (``# syntax=``, ``# escape=``, ``# check=``)."""

    name: str  # lower-case
    value: str
    span: Span


@dataclass(frozen=True, slots=True)
class Comment:
    """A ``#`` comment line (directives included), kept for pragmas."""

    text: str  # without the leading '#', stripped
    span: Span


@dataclass(frozen=True, slots=True)
class Flag:
    """``--name=value`` (or bare ``--name``) before an instruction's arguments."""

    name: str
    value: str | None
    raw: str  # as BuildKit reports it: '--mount=type=cache,target=/x'
    span: Span


@dataclass(frozen=True, slots=True)
class Heredoc:
    name: str  # the delimiter word, unquoted
    body: str  # the raw lines between the instruction and the delimiter, as BuildKit keeps them
    expand: bool  # False when the delimiter was quoted: no variable expansion in the body
    chomp: bool  # '<<-': leading tabs are stripped from the content when it is used
    file_descriptor: int
    span: Span  # the body lines and the closing delimiter line

    @property
    def content(self) -> str:
        """The body as the build uses it: leading tabs removed from each line for ``<<-``."""
        if not self.chomp:
            return self.body
        return "".join(line.lstrip("\t") for line in self.body.splitlines(keepends=True))

    def position(self, offset: int) -> tuple[int, int]:
        """Source line and column of an offset into ``body``."""
        before = self.body[:offset]
        line = self.span.line + before.count("\n")
        return line, offset - (before.rfind("\n") + 1) + 1


@dataclass(frozen=True, slots=True)
class SourceMap:
    """Maps offsets in an instruction's logical (continuation-joined) text back to the source.

    ``segments`` holds ``(offset, line, column)`` for the start of each physical piece, ascending
    by offset; an offset inside a piece maps to the same line, shifted column.
    """

    segments: tuple[tuple[int, int, int], ...]

    def position(self, offset: int) -> tuple[int, int]:
        # the last segment starting at or before the offset (the first one when none does); a
        # binary search, so a RUN continued over 100k lines maps each offset in log time
        segments = self.segments
        if len(segments) == 1:
            start, line, column = segments[0]
            return line, column + (offset - start)
        at = max(bisect_right(self.segments, (offset, float("inf"), float("inf"))) - 1, 0)
        start, line, column = self.segments[at]
        return line, column + (offset - start)

    def span(self, start: int, end: int) -> Span:
        line, column = self.position(start)
        end_line, end_column = self.position(max(start, end - 1))
        return Span(line, column, end_line, end_column + 1)


@dataclass(frozen=True, slots=True)
class Instruction:
    """One Dockerfile instruction, as BuildKit's parser sees it.

    ``args`` equals BuildKit's node values (the oracle's ``value``): for example ENV/LABEL give
    alternating keys and values, FROM the whitespace-split words, RUN in shell form one string.
    ``text`` is the logical argument text after the flags (continuations joined), and
    ``text_map`` maps offsets into ``text`` to source positions (for shell commands in RUN).
    """

    keyword: str  # upper-case: 'RUN'
    written_keyword: str  # as written: 'run'
    flags: tuple[Flag, ...]
    args: tuple[str, ...]
    json: bool
    text: str
    text_map: SourceMap
    heredocs: tuple[Heredoc, ...]
    original: str
    span: Span
    onbuild: Instruction | None = None  # ONBUILD's inner instruction

    def flag(self, name: str) -> Flag | None:
        for flag in self.flags:
            if flag.name == name:
                return flag
        return None

    def flag_values(self, name: str) -> list[str]:
        return [flag.value or "" for flag in self.flags if flag.name == name]


@dataclass(frozen=True, slots=True)
class ParseError:
    message: str
    span: Span


@dataclass(slots=True)
class Stage:
    """A build stage: its FROM and the instructions up to the next FROM."""

    index: int
    name: str | None  # lower-cased as BuildKit does
    written_name: str | None
    base: str  # the image reference as written (may hold ARGs)
    platform: str | None
    from_instruction: Instruction
    instructions: list[Instruction] = field(default_factory=list)


@dataclass(slots=True)
class Dockerfile:
    path: str
    text: str
    escape: str
    directives: tuple[Directive, ...]
    comments: tuple[Comment, ...]
    instructions: tuple[Instruction, ...]
    global_args: tuple[Instruction, ...]  # ARG instructions before the first FROM
    stages: tuple[Stage, ...]
    errors: tuple[ParseError, ...]
    empty_continuations: tuple[Span, ...] = ()  # BuildKit's NoEmptyContinuation warning

    def directive(self, name: str) -> Directive | None:
        for directive in self.directives:
            if directive.name == name:
                return directive
        return None

    def stage_of(self, instruction: Instruction) -> Stage | None:
        for stage in self.stages:
            if instruction is stage.from_instruction or any(
                instruction is own for own in stage.instructions
            ):
                return stage
        return None

    @property
    def final_stage(self) -> Stage | None:
        return self.stages[-1] if self.stages else None
