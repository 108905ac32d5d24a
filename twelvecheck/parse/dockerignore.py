"""``.dockerignore`` files: patterns with their lines, matched the way docker and BuildKit match.

Shared by the linter (what a build context lets in) and the builder (what COPY may read).
Semantics follow moby's ``patternmatcher``: one pattern per line, ``#`` comments and blank lines
ignored, each pattern cleaned like Go's ``filepath.Clean`` with the leading ``/`` dropped; ``*``
and ``?`` do not cross ``/``, ``**`` matches any number of directories; a ``!`` pattern
re-includes; the last matching pattern wins; a pattern that matches a directory also matches
everything in it.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass

from twelvecheck.files import unsaved_text
from twelvecheck.parse.model import ParseError, Span


@dataclass(frozen=True, slots=True)
class IgnorePattern:
    text: str  # cleaned, without the leading '!'
    negated: bool  # a '!' pattern: matching paths are put back
    span: Span
    regex: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class Dockerignore:
    path: str
    patterns: tuple[IgnorePattern, ...]
    errors: tuple[ParseError, ...] = ()  # patterns docker refuses (the build fails on them)

    def excludes(self, relative_path: str) -> bool:
        """True when the build context leaves ``relative_path`` ('/'-separated) out."""
        return self._deciding(relative_path) is not None

    def pattern_excluding(self, relative_path: str) -> IgnorePattern | None:
        """The last pattern that leaves ``relative_path`` out, or None when it is let in."""
        return self._deciding(relative_path)

    def _deciding(self, relative_path: str) -> IgnorePattern | None:
        candidates = _self_and_parents(posixpath.normpath(relative_path).strip("/"))
        deciding = None
        for pattern in self.patterns:
            if any(pattern.regex.match(candidate) for candidate in candidates):
                deciding = None if pattern.negated else pattern
        return deciding


MAX_PATTERN_LENGTH = 4096


def parse_dockerignore(text: str, path: str = ".dockerignore") -> Dockerignore:
    patterns = []
    errors: list[ParseError] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        negated = stripped.startswith("!")
        body = stripped[1:].strip() if negated else stripped
        cleaned = posixpath.normpath(body).lstrip("/") if body else ""
        # past PATH_MAX no path can match; compiling a 300 kB line as a regex takes seconds
        if not cleaned or cleaned == "." or len(cleaned) > MAX_PATTERN_LENGTH:
            continue
        span = Span(number, 1, number, len(line) + 1)
        try:
            regex = _compile(cleaned)
        except re.error as error:
            errors.append(ParseError(f"syntax error in pattern {stripped!r} ({error.msg}): docker build refuses "
                                     "the file", span))
            continue
        patterns.append(IgnorePattern(cleaned, negated, span, regex))
    return Dockerignore(path, tuple(patterns), tuple(errors))


def for_context(context_dir: str, dockerfile_path: str | None = None) -> Dockerignore:
    """The ignore file BuildKit uses: ``<Dockerfile name>.dockerignore`` beside the Dockerfile,
    else ``.dockerignore`` at the context root; none means nothing is left out."""
    candidates = [os.path.join(context_dir, ".dockerignore")]
    if dockerfile_path:
        candidates.insert(0, dockerfile_path + ".dockerignore")
    from twelvecheck.files import is_regular_file, read_bytes, real_root

    tree = real_root(context_dir)  # an ignore file leading out of the context is not read
    for candidate in candidates:
        unsaved = unsaved_text(candidate)  # an editor's buffer (the language server)
        if unsaved is not None:
            return parse_dockerignore(unsaved, candidate)
        if is_regular_file(candidate, tree):
            data = read_bytes(candidate, root=tree)
            text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else ""
            return parse_dockerignore(text, candidate)
    return Dockerignore(candidates[-1], ())


def _self_and_parents(path: str) -> list[str]:
    parts = path.split("/")
    return ["/".join(parts[:depth]) for depth in range(len(parts), 0, -1)]


def _compile(pattern: str) -> re.Pattern[str]:
    """Translate a Go ``filepath.Match`` pattern with ``**`` into an anchored regex."""
    out = ["^"]
    # once a '[' has no closing ']', no later one has (the scan reads escapes as this loop
    # does): stop looking, or a line of 100k '[' costs 100k scans to its end
    unclosed = False
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
            end = -1 if unclosed else _class_end(pattern, index + 1)
            unclosed = end == -1
            if end == -1:
                out.append(re.escape(char))
            else:
                out.append("[" + _class_body(pattern[index + 1:end]) + "]")
                index = end
        else:
            out.append(re.escape(char))
        index += 1
    out.append("$")
    return re.compile("".join(out))


def _class_body(body: str) -> str:
    """A Go character class body as regex reads it: ranges and '^' read the same; an escaped
    character is literal ('\\d' is 'd', not a digit); '[', '&', '~', '|' and a second '-'
    are literal in both, but regex would take '[' or a doubled '&&' or '--' as the start of
    a nested set or set operation, so they are escaped."""
    out = []
    index = 0
    while index < len(body):
        char = body[index]
        if char == "\\" and index + 1 < len(body):  # Go's escape makes any character literal
            out.append(re.escape(body[index + 1]))
            index += 2
            continue
        # a second '-' right after one is escaped: regex reads '--' as a set difference
        doubled_dash = char == "-" and out and out[-1] == "-"
        out.append("\\" + char if char in "[&~|" or doubled_dash else char)
        index += 1
    return "".join(out)


def _class_end(pattern: str, start: int) -> int:
    """Where the class opened before ``start`` closes: the first ']' not escaped, or -1."""
    index = start
    while index < len(pattern):
        if pattern[index] == "\\":
            index += 2
            continue
        if pattern[index] == "]":
            return index
        index += 1
    return -1
