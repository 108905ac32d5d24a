"""``.dockerignore`` files: patterns with their lines, and BuildKit's matching rules.

Each pattern is cleaned like Go's ``filepath.Clean`` (a leading ``/`` is dropped), ``*`` and
``?`` stop at ``/``, ``**`` crosses directories, and a path is excluded when it or one of its
parent directories matches; later ``!exceptions`` re-include.  Enough to answer the questions
rules ask ("does the context let ``.env`` in?") without building a context.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from twelvecheck.parse.model import Span


@dataclass(frozen=True, slots=True)
class IgnorePattern:
    text: str  # cleaned, without the leading '!'
    negated: bool
    span: Span
    regex: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class Dockerignore:
    path: str
    patterns: tuple[IgnorePattern, ...]

    def excludes(self, relative_path: str) -> bool:
        """True when the build context leaves ``relative_path`` out."""
        candidates = _self_and_parents(posixpath.normpath(relative_path).lstrip("/"))
        excluded = False
        for pattern in self.patterns:
            if any(pattern.regex.fullmatch(candidate) for candidate in candidates):
                excluded = not pattern.negated
        return excluded

    def pattern_excluding(self, relative_path: str) -> IgnorePattern | None:
        """The last non-negated pattern that leaves ``relative_path`` out, if it is left out."""
        if not self.excludes(relative_path):
            return None
        candidates = _self_and_parents(posixpath.normpath(relative_path).lstrip("/"))
        matching = [p for p in self.patterns if not p.negated and any(p.regex.fullmatch(c) for c in candidates)]
        return matching[-1] if matching else None


def _self_and_parents(path: str) -> list[str]:
    parts = path.split("/")
    return ["/".join(parts[: index + 1]) for index in range(len(parts))]


def parse_dockerignore(text: str, path: str = ".dockerignore") -> Dockerignore:
    patterns = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        negated = stripped.startswith("!")
        body = stripped[1:].strip() if negated else stripped
        cleaned = posixpath.normpath(body).lstrip("/") if body else ""
        if not cleaned or cleaned == ".":
            continue
        span = Span(number, 1, number, len(line) + 1)
        patterns.append(IgnorePattern(cleaned, negated, span, re.compile(_translate(cleaned))))
    return Dockerignore(path, tuple(patterns))


def _translate(pattern: str) -> str:
    out, index = [], 0
    while index < len(pattern):
        if pattern.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
        elif pattern.startswith("**", index):
            out.append(".*")
            index += 2
        elif pattern[index] == "*":
            out.append("[^/]*")
            index += 1
        elif pattern[index] == "?":
            out.append("[^/]")
            index += 1
        elif pattern[index] == "[":
            close = pattern.find("]", index + 1)
            if close < 0:
                out.append(re.escape("["))
                index += 1
            else:
                body = pattern[index + 1 : close].replace("\\", "\\\\")
                out.append("[" + ("^" + body[1:] if body.startswith("^") else body) + "]")
                index = close + 1
        elif pattern[index] == "\\" and index + 1 < len(pattern):
            out.append(re.escape(pattern[index + 1]))
            index += 2
        else:
            out.append(re.escape(pattern[index]))
            index += 1
    return "".join(out)
