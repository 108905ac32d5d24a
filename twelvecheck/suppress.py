"""Inline suppressions: ``# twelvecheck ignore=…``, ``# hadolint ignore=…`` and ``# check=skip=…``.

A pragma names rules by code, name or alias (so hadolint's ``DL3008`` and BuildKit's
``JSONArgsRecommended`` work unchanged). ``ignore=`` applies to the next instruction,
``global ignore=`` to the whole file, BuildKit's ``# check=skip=`` directive to the whole file.
A pragma that cannot be understood is itself reported (as ``Problem`` values).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from twelvecheck.findings import Finding
from twelvecheck.parse.model import Comment, Directive, Instruction, Span
from twelvecheck.lazy_re import lazy_compile

_PRAGMA = lazy_compile(r"^(twelvecheck|hadolint)\b\s*(.*)$", re.IGNORECASE)
_IGNORE = lazy_compile(r"^(global\s+)?ignore\s*=\s*(.*?)\s*(?:--\s*(.*))?$", re.IGNORECASE)
_KEYS = lazy_compile(r"^[A-Za-z0-9_-]+$")


@dataclass(frozen=True, slots=True)
class Problem:
    message: str
    span: Span
    file: str = ""  # empty: the file being linted


@dataclass(frozen=True, slots=True)
class Pragma:
    """One ignore pragma as written: where, what it silences (lower-cased keys), whether it
    gives a reason (``-- why``), and for which lines (None: the whole file)."""

    span: Span
    keys: tuple[str, ...]
    reason: bool
    scope: tuple[int, int] | None


@dataclass(slots=True)
class Suppressions:
    """Which rules are silenced where, with the justification given (SARIF records it)."""

    global_keys: dict[str, str] = field(default_factory=dict)  # key -> justification
    by_instruction: dict[tuple[int, int], dict[str, str]] = field(default_factory=dict)  # line span
    problems: list[Problem] = field(default_factory=list)
    skip_all: bool = False
    pragmas: list[Pragma] = field(default_factory=list)
    used: set[tuple[tuple[int, int] | None, str]] = field(default_factory=set)  # (scope, key) that silenced something
    _index: tuple | None = field(default=None, repr=False, compare=False)  # for _scopes_holding

    def global_only(self) -> Suppressions:
        """The file-wide part: what still applies to findings this file reports in other files."""
        return Suppressions(global_keys=dict(self.global_keys), skip_all=self.skip_all)

    def justification(self, finding: Finding, rule_keys: Iterable[str]) -> str | None:
        """Why ``finding`` is suppressed, or None when it is not."""
        keys = {key.lower() for key in rule_keys}
        if self.skip_all and finding.rule and not finding.rule.startswith("TC"):
            return "check=skip=all"
        for key, why in self.global_keys.items():
            if key in keys:
                self.used.add((None, key))
                return why
        for (start, end), silenced in self._scopes_holding(finding.span.line):
            for key, why in silenced.items():
                if key in keys:
                    self.used.add(((start, end), key))
                    return why
        return None

    def _scopes_holding(self, line: int) -> Iterable[tuple[tuple[int, int], dict[str, str]]]:
        """The ``by_instruction`` entries whose lines hold ``line``, in their order. A Dockerfile's
        (one per instruction) never overlap: the one starting last at or above the line is the
        only candidate, found by binary search rather than a scan per finding."""
        scopes = self.by_instruction
        index = self._index
        if index is None or index[0] != len(scopes):
            ordered = sorted(scopes)
            disjoint = all(before[1] < after[0] for before, after in zip(ordered, ordered[1:]))
            index = self._index = (len(scopes), [start for start, _ in ordered] if disjoint else None, ordered)
        _, starts, ordered = index
        if starts is None:  # nested YAML blocks: every entry, in order
            return [(scope, silenced) for scope, silenced in scopes.items() if scope[0] <= line <= scope[1]]
        at = bisect_right(starts, line) - 1
        if at < 0 or ordered[at][1] < line:
            return ()
        return ((ordered[at], scopes[ordered[at]]),)

    def unused(self) -> list[tuple[Pragma, str]]:
        """(pragma, key) pairs that silenced nothing in this run."""
        return [(pragma, key) for pragma in self.pragmas for key in pragma.keys
                if (pragma.scope, key) not in self.used]


def _split_keys(text: str) -> list[str]:
    return [key.strip() for key in text.split(",") if key.strip()]


def collect(
    comments: Sequence[Comment],
    directives: Sequence[Directive],
    instructions: Sequence[Instruction],
    known: set[str],
    known_patterns: Sequence[re.Pattern[str]] = (),
) -> Suppressions:
    """Read every pragma of a Dockerfile; ``known`` holds the lower-cased codes, names and aliases,
    ``known_patterns`` the shapes of extra keys rules' findings carry (``SC\\d{4}``)."""
    result = Suppressions()
    spans = sorted((i.span.line, i.span.end_line) for i in instructions)
    starts = [start for start, _ in spans]
    for comment in comments:
        at = bisect_right(starts, comment.span.line)  # the first instruction starting below it
        following = spans[at] if at < len(spans) else None
        _read_pragma(comment, following, known, known_patterns, result)
    for directive in directives:
        if directive.name == "check":
            _read_check_directive(directive, known, result)
    return result


def collect_yaml(text: str, known: set[str], known_patterns: Sequence[re.Pattern[str]] = ()) -> Suppressions:
    """Read the pragmas of a YAML file: ``ignore=`` covers the next key and the block under it."""
    result = Suppressions()
    lines = text.splitlines()
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("#"):
            span = Span(index + 1, line.index("#") + 1, index + 1, len(line) + 1)
            _read_pragma(Comment(stripped[1:].strip(), span), _yaml_block_after(lines, index), known, known_patterns, result)
    return result


def _yaml_block_after(lines: list[str], comment_index: int) -> tuple[int, int] | None:
    """1-based (first, last) line of the key after a comment and of everything nested under it
    (deeper lines, and a sequence written at the key's own indentation)."""
    content = [i for i in range(comment_index + 1, len(lines))
               if lines[i].strip() and not lines[i].strip().startswith("#")]
    if not content:
        return None
    first = content[0]
    indent = _indent(lines[first])
    key_is_item = lines[first].lstrip().startswith("-")
    last = first
    for index in content[1:]:
        deeper = _indent(lines[index]) > indent
        own_sequence = _indent(lines[index]) == indent and not key_is_item and lines[index].lstrip().startswith("-")
        if not (deeper or own_sequence):
            break
        last = index
    return first + 1, last + 1


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _read_pragma(comment: Comment, following: tuple[int, int] | None, known: set[str],
                 known_patterns: Sequence[re.Pattern[str]], result: Suppressions) -> None:
    """Record one ``twelvecheck``/``hadolint`` pragma comment, or the problem with it."""
    match = _PRAGMA.match(comment.text)
    if match is None:
        return
    tool, rest = match.group(1).lower(), match.group(2)
    ignore = _IGNORE.match(rest)
    if ignore is None:
        if tool == "twelvecheck" or rest.lower().startswith(("ignore", "global")):
            result.problems.append(Problem(f"malformed {tool} pragma {comment.text!r}: expected 'ignore=CODE,…' or 'global ignore=CODE,…'", comment.span))
        return
    keys = _split_keys(ignore.group(2))
    why = (ignore.group(3) or "").strip() or f"inline {tool} pragma"
    if not keys or not all(_KEYS.match(key) for key in keys):
        result.problems.append(Problem(f"malformed {tool} pragma {comment.text!r}: list rule codes separated by commas", comment.span))
        return
    for key in keys:
        # hadolint's own codes (and ShellCheck's) stay valid even where we have no rule for them
        foreign_ok = tool == "hadolint" and re.match(r"^(DL|SC)\d{4}$", key, re.IGNORECASE)
        extra_ok = any(pattern.fullmatch(key) for pattern in known_patterns)
        if key.lower() not in known and not foreign_ok and not extra_ok:
            result.problems.append(Problem(f"{tool} pragma names unknown rule {key!r}", comment.span))
    if ignore.group(1):
        result.global_keys.update({key.lower(): why for key in keys})
    elif following is not None:
        result.by_instruction.setdefault(following, {}).update({key.lower(): why for key in keys})
    else:
        return
    scope = None if ignore.group(1) else following
    result.pragmas.append(Pragma(comment.span, tuple(key.lower() for key in keys), bool((ignore.group(3) or "").strip()), scope))


def _read_check_directive(directive: Directive, known: set[str], result: Suppressions) -> None:
    """BuildKit's ``# check=skip=A,B;error=true``."""
    for part in directive.value.split(";"):
        key, sep, value = part.strip().partition("=")
        key = key.strip().lower()
        if not sep or key not in ("skip", "error"):
            result.problems.append(Problem(f"malformed check directive {directive.value!r}: expected 'skip=NAME,…' or 'error=true|false'", directive.span))
            continue
        if key == "error":
            continue
        names = _split_keys(value)
        if [name.lower() for name in names] == ["all"]:
            result.skip_all = True
            continue
        for name in names:  # BuildKit ignores check names it does not know; so do we
            result.global_keys[name.lower()] = "check=skip directive"
