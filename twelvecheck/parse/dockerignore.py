"""``.dockerignore`` patterns, matched the way docker and BuildKit match them.

Shared by the linter (rules about what a context sends) and the builder (what COPY may read).
Semantics follow moby's ``patternmatcher``: one pattern per line, ``#`` comments, blank lines
ignored, each pattern cleaned like Go's ``filepath.Clean`` with the leading ``/`` dropped; ``*``
and ``?`` do not cross ``/``, ``**`` matches any number of directories; a ``!`` pattern re-includes;
the last matching pattern wins; a pattern that matches a directory also matches everything in it.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Pattern:
    text: str  # cleaned, without '!'
    exclusion: bool  # a '!' pattern: matching paths are put back
    line: int
    regex: re.Pattern[str]


def parse(text: str) -> list[Pattern]:
    patterns = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        exclusion = line.startswith("!")
        if exclusion:
            line = line[1:].strip()
        cleaned = posixpath.normpath(line).lstrip("/") or "."
        patterns.append(Pattern(cleaned, exclusion, number, _compile(cleaned)))
    return patterns


class Matcher:
    def __init__(self, patterns: list[Pattern]):
        self.patterns = patterns

    @classmethod
    def for_context(cls, context_dir: str) -> Matcher:
        path = os.path.join(context_dir, ".dockerignore")
        if not os.path.isfile(path):
            return cls([])
        with open(path, encoding="utf-8", errors="replace") as handle:
            return cls(parse(handle.read()))

    def excluded(self, path: str) -> bool:
        """Is ``path`` (relative to the context, '/'-separated) left out of the context?"""
        candidates = _self_and_parents(path.strip("/"))
        result = False
        for pattern in self.patterns:
            if any(pattern.regex.match(candidate) for candidate in candidates):
                result = not pattern.exclusion
        return result


def _self_and_parents(path: str) -> list[str]:
    parts = path.split("/")
    return ["/".join(parts[:depth]) for depth in range(len(parts), 0, -1)]


def _compile(pattern: str) -> re.Pattern[str]:
    """Translate a Go ``filepath.Match`` pattern with ``**`` into an anchored regex."""
    out = ["^"]
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "*" and pattern[index + 1:index + 2] == "*":
            index += 2
            if pattern[index:index + 1] == "/":
                index += 1
                out.append("(.*/)?")
            else:
                out.append(".*")
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "\\" and index + 1 < len(pattern):
            index += 1
            out.append(re.escape(pattern[index]))
        elif char == "[":
            end = pattern.find("]", index + 1)
            if end == -1:
                out.append(re.escape(char))
            else:
                out.append(pattern[index:end + 1])  # Go's classes ('[^a-z]', '\\]') read the same as regex's
                index = end
        else:
            out.append(re.escape(char))
        index += 1
    out.append("$")
    return re.compile("".join(out))
