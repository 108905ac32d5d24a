"""What an AP rule sees of one application file: its semgrep matches and its pragmas."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from twelvecheck.parse.model import Comment, Span
from twelvecheck.rules.context import FileContext
from twelvecheck.suppress import Suppressions, collect

COMMENT_MARKERS = ("#", "//")  # Python and Ruby; JavaScript, TypeScript, Go and Java


@dataclass(frozen=True, slots=True)
class Match:
    """One semgrep result, reduced to what a finding needs (and what the cache stores)."""

    code: str
    span: Span
    message: str

    def as_json(self) -> list:
        return [self.code, self.span.line, self.span.column, self.span.end_line, self.span.end_column, self.message]

    @classmethod
    def from_json(cls, data: list) -> Match:
        code, line, column, end_line, end_column, message = data
        return cls(code, Span(line, column, end_line, end_column), message)


@dataclass(frozen=True, slots=True)
class _CodeLine:
    """A line of code: what a pragma comment above it applies to (as an instruction does)."""

    span: Span


class SourceContext(FileContext):
    kind = "source"

    def __init__(self, path: str, text: str, matches: Sequence[Match], known_rule_keys: frozenset[str] = frozenset(),
                 notice: str | None = None):
        super().__init__(path)
        self.text = text
        self.matches = matches
        self.known_rule_keys = known_rule_keys
        self.notice = notice  # why application source was not checked (semgrep missing or failed)

    @cached_property
    def suppressions(self) -> Suppressions:
        """``# twelvecheck ignore=AP001`` (or ``// …``) on its own line silences the next code line."""
        comments, code_lines = [], []
        for number, line in enumerate(self.text.splitlines(), start=1):
            stripped = line.strip()
            marker = next((m for m in COMMENT_MARKERS if stripped.startswith(m)), None)
            span = Span(number, 1, number, len(line) + 1)
            if marker is not None:
                comments.append(Comment(stripped[len(marker):].strip(), span))
            elif stripped:
                code_lines.append(_CodeLine(span))
        return collect(comments, (), code_lines, set(self.known_rule_keys))
