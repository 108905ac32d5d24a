"""Applying fixes: text edits that do not overlap, re-linted until nothing changes, written safely.

Three layers, each usable alone:

* ``apply_fixes(text, findings)`` applies the edits of the findings' fixes that do not overlap
  (a fix overlapping an earlier one waits for the next round) to one text.
* ``fix_text(fixer, ...)`` repeats lint → apply on a text in memory until it is stable (at most
  ``MAX_ROUNDS``), and keeps the result only when it still parses. Nothing is written:
  ``plan_fixes(paths, config)`` returns a ``FileFix`` (original and fixed text, fixes per rule)
  for every file, which is what ``--diff`` prints and what ``verify --fix`` builds.
* ``fix_paths(paths, config)`` writes the plans (see ``twelvecheck.fix_write`` for the write
  safety: per-file lock, compare-before-write, owner/mode/hardlinks/symlinks kept).

Edits name 1-based (line, column) positions of the text the parser saw: a leading byte-order
mark is not counted, and a CRLF file's edits get CRLF line ends.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from twelvecheck.findings import Edit, Finding

MAX_ROUNDS = 8
BOM = "\ufeff"
FIX_KINDS = frozenset({"dockerfile", "compose"})


def applicable(finding: Finding, unsafe: bool, only: Collection[str] | None = None) -> bool:
    """The finding has a fix this run may apply (``only``: rule codes, upper-case)."""
    fix = finding.fix
    if fix is None or not fix.edits or (not fix.safe and not unsafe):
        return False
    return not only or finding.rule in only


def apply_fixes(text: str, findings: Iterable[Finding], unsafe: bool = False,
                only: Collection[str] | None = None) -> tuple[str, int]:
    """The text with every applicable, non-overlapping fix applied, and how many were applied."""
    fixed, applied = apply_fix_list(text, findings, unsafe, only)
    return fixed, len(applied)


def apply_fix_list(text: str, findings: Iterable[Finding], unsafe: bool = False,
                   only: Collection[str] | None = None) -> tuple[str, list[Finding]]:
    """Like ``apply_fixes``; returns the findings whose fixes went in.

    Identical edits of two findings (two RUNs of a stage asking for the same SHELL line) are one
    edit; a fix whose edits overlap a chosen fix's is left for the next round."""
    bom = text.startswith(BOM)
    body = text[1:] if bom else text
    starts = _line_starts(body)
    crlf = "\r\n" in body
    chosen: dict[tuple[int, int, str], None] = {}
    applied: list[Finding] = []
    for finding in findings:
        if not applicable(finding, unsafe, only):
            continue
        try:
            ranges = [_edit_range(body, starts, edit, crlf) for edit in finding.fix.edits]
        except ValueError:
            continue  # an edit outside the text: the finding is stale
        new = [r for r in ranges if r not in chosen]
        if any(_overlap(a, b) for a in new for b in chosen) or any(
                _overlap(a, b) for i, a in enumerate(new) for b in new[i + 1:]):
            continue
        chosen.update(dict.fromkeys(new))
        applied.append(finding)
    for start, end, replacement in sorted(chosen, key=lambda r: (r[0], r[1]), reverse=True):
        body = body[:start] + replacement + body[end:]
    return (BOM + body if bom else body), applied


def _overlap(a: tuple[int, int, str], b: tuple[int, int, str]) -> bool:
    """Two ranges overlap when they share text, or insert at the same point (order unknown)."""
    if a[0] == a[1] or b[0] == b[1]:
        return a[0] == b[0] and a[1] == b[1] or (a[0] < b[1] and b[0] < a[1])
    return a[0] < b[1] and b[0] < a[1]


def _line_starts(text: str) -> list[int]:
    starts = [0]
    index = text.find("\n")
    while index >= 0:
        starts.append(index + 1)
        index = text.find("\n", index + 1)
    return starts


def _offset(text: str, starts: list[int], line: int, column: int) -> int:
    if not 1 <= line <= len(starts) + 1 or column < 1:
        raise ValueError(f"position {line}:{column} is outside the text")
    if line == len(starts) + 1:  # just past the last line (an insertion at the very end)
        return len(text)
    offset = starts[line - 1] + column - 1
    line_end = starts[line] if line < len(starts) else len(text)
    if offset > line_end:
        raise ValueError(f"position {line}:{column} is past the end of its line")
    return offset


def _edit_range(text: str, starts: list[int], edit: Edit, crlf: bool) -> tuple[int, int, str]:
    span = edit.span
    start = _offset(text, starts, span.line, span.column)
    end = _offset(text, starts, span.end_line, span.end_column)
    if end < start:
        raise ValueError("edit ends before it starts")
    replacement = edit.text
    if crlf:
        # A span reaching a CRLF line's end may cover its '\r' (parsers differ): keep it.
        if end > start and text[end - 1] == "\r" and text[end:end + 1] == "\n" and not replacement.endswith("\r"):
            end -= 1
        replacement = replacement.replace("\r\n", "\n").replace("\n", "\r\n")
    return start, end, replacement


# --- fixing a text in memory ------------------------------------------------------------------

@dataclass(slots=True)
class FileFix:
    """What fixing one file gives: ``fixed`` equals ``original`` when nothing applied (or when
    the result would not parse: ``problem`` says so)."""

    path: str  # as reports show it
    source: str  # the file on disk
    kind: str
    original: str
    fixed: str
    applied: Counter = field(default_factory=Counter)  # rule code -> fixes applied
    problem: str | None = None

    @property
    def changed(self) -> bool:
        return self.fixed != self.original

    def diff(self) -> str:
        import difflib

        return "".join(difflib.unified_diff(
            self.original.splitlines(keepends=True), self.fixed.splitlines(keepends=True),
            fromfile=self.path, tofile=self.path))  # `patch -p0` applies it


class Fixer:
    """Lints texts in memory with only the fixable rules the run may apply."""

    def __init__(self, config, unsafe: bool = False, only: Collection[str] | None = None, root: str = "."):
        from twelvecheck.engine import Engine

        self.unsafe = unsafe
        self.only = frozenset(code.upper() for code in only) if only else None
        self.engine = Engine(config, FIX_KINDS, root)
        self.engine.active = [a for a in self.engine.active if a.cls.fixable
                              and (self.only is None or a.cls.code in self.only)]
        self.root = root

    def findings(self, kind: str, display: str, source: str, text: str, companions=()) -> list[Finding]:
        """This text's findings from the fixable rules, as if it were the file at ``source``
        (``companions``: a compose file's project, main file first, override files after)."""
        if kind == "dockerfile":
            from twelvecheck.parse.dockerfile import parse
            from twelvecheck.rules.context import DockerfileContext

            engine = self.engine
            ctx = DockerfileContext(display, parse(text, display), engine.known_keys, source=source,
                                    key_patterns=engine.key_patterns)
            return [f for f in engine.lint_context(ctx)[0] if f.file == display]
        return self._compose_findings(source, text, companions)

    def _compose_findings(self, source: str, text: str, project) -> list[Finding]:
        """Compose rules read their files from disk: the project's files (the main file first,
        then its override files) and its .env go into a private folder, ``source`` with
        ``text``; the findings kept are those in ``source``."""
        import os
        import shutil
        import tempfile
        from pathlib import Path

        from twelvecheck.rules.compose_context import ComposeContext

        project = tuple(project) or (source,)
        with tempfile.TemporaryDirectory(prefix="twelvecheck-fix-") as scratch:
            files = []
            for member in project:
                copy = Path(scratch) / os.path.basename(member)
                if member == source:
                    copy.write_text(text, encoding="utf-8", newline="")
                elif os.path.isfile(member) and not os.path.islink(member):
                    shutil.copyfile(member, copy)
                else:
                    continue
                files.append(copy)
            env = os.path.join(os.path.dirname(source), ".env")
            if os.path.isfile(env) and not os.path.islink(env):
                shutil.copyfile(env, Path(scratch) / ".env")
            ctx = ComposeContext(files[0].name, files, scratch, self.engine.known_keys)
            found = self.engine.lint_context(ctx)[0]
        return [f for f in found if f.file == os.path.basename(source)]

    def fix_text(self, kind: str, display: str, source: str, text: str, companions=()) -> FileFix:
        """Lint → apply → repeat until stable; the original text when the result does not parse."""
        result = FileFix(display, source, kind, text, text)
        current = text
        for _ in range(MAX_ROUNDS):
            found = self.findings(kind, display, source, current, companions)
            current, applied = apply_fix_list(current, found, self.unsafe, self.only)
            if not applied:
                break
            result.applied.update(f.rule for f in applied)
        problem = _parse_problem(kind, text, current)
        if problem is not None:
            return FileFix(display, source, kind, text, text, Counter(), problem)
        result.fixed = current
        return result


def _parse_problem(kind: str, before: str, after: str) -> str | None:
    """Why the fixed text is refused: it has parse errors the original did not have."""
    if before == after:
        return None
    if kind == "dockerfile":
        from twelvecheck.parse.dockerfile import parse

        if len(parse(after, "Dockerfile").errors) > len(parse(before, "Dockerfile").errors):
            return "the fixed Dockerfile would not parse; not fixed"
        return None
    import yaml

    try:
        list(yaml.compose_all(after, Loader=yaml.SafeLoader))
    except yaml.YAMLError:
        return "the fixed compose file would not parse; not fixed"
    return None


# --- whole runs ------------------------------------------------------------------------------

class _Fixers:
    """One ``Fixer`` per configuration: each file is fixed under its own (``config_for``)."""

    def __init__(self, config, unsafe: bool, only: Collection[str] | None):
        self.config, self.unsafe, self.only = config, unsafe, only
        self._made: dict[int, Fixer] = {}

    def fix_text(self, kind: str, display: str, source: str, text: str, companions=()) -> FileFix:
        from twelvecheck.config import config_for

        own = config_for(self.config, source)
        if id(own) not in self._made:
            self._made[id(own)] = Fixer(own, self.unsafe, self.only)
        return self._made[id(own)].fix_text(kind, display, source, text, companions)


def fix_candidates(paths, config):
    """The Dockerfiles and compose files ``lint`` would check under ``paths`` (path, display,
    kind, project): a compose file and each of its override files come with the project's
    files (main first), since their rules see the merged project."""
    from twelvecheck.discover import Candidate, discover, group_compose_projects
    from twelvecheck.engine import display_path, skipped

    candidates = group_compose_projects(discover(paths or ["."], FIX_KINDS))
    for candidate in candidates:
        if candidate.kind not in FIX_KINDS or candidate.problem is not None:
            continue
        project = (candidate.path, *candidate.companions) if candidate.kind == "compose" else ()
        for path in project or (candidate.path,):
            display = display_path(path, ".")
            if not skipped(config, Candidate(path, candidate.kind), display):
                yield path, display, candidate.kind, project


def plan_fixes(paths, config, unsafe: bool = False, only: Collection[str] | None = None) -> list[FileFix]:
    """The fixed text of every file under ``paths``, computed without writing anything (for
    ``--diff`` and ``verify --fix``). Unreadable files are left out: lint reports them."""
    from twelvecheck.files import read_text

    fixer = _Fixers(config, unsafe, only)
    plans = []
    for source, display, kind, companions in fix_candidates(paths, config):
        text = read_text(source, config.max_file_bytes)
        if isinstance(text, str):
            plans.append(fixer.fix_text(kind, display, source, text, companions))
    return plans


@dataclass(slots=True)
class FixRun:
    """What ``fix_paths`` did: the fixes written per file, and files it refused to touch."""

    written: list[FileFix] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (path, why)

    @property
    def applied(self) -> Counter:
        total: Counter = Counter()
        for plan in self.written:
            total.update(plan.applied)
        return total


def fix_paths(paths, config, unsafe: bool = False, only: Collection[str] | None = None) -> FixRun:
    """Fix every file under ``paths`` in place (see ``twelvecheck.fix_write``); the caller
    lints again for the report."""
    from twelvecheck.fix_write import FixRefused, write_fixed

    fixer = _Fixers(config, unsafe, only)
    roots = _trees(paths)
    run = FixRun()
    for source, display, kind, companions in fix_candidates(paths, config):
        def plan(text: str, source=source, display=display, kind=kind, companions=companions) -> str:
            return fixer.fix_text(kind, display, source, text, companions)
        try:
            done = write_fixed(source, plan, roots, config.max_file_bytes)
        except FixRefused as refused:
            run.refused.append((display, str(refused)))
            continue
        if done is not None and done.changed:
            run.written.append(done)
        elif done is not None and done.problem:
            run.refused.append((display, done.problem))
    return run


def _trees(paths) -> tuple[str, ...]:
    """The trees a symlinked file may point into: the working directory and each directory
    named on the command line (resolved)."""
    import os

    roots = [os.path.realpath(".")]
    roots.extend(os.path.realpath(p) for p in paths or () if os.path.isdir(p))
    return tuple(dict.fromkeys(roots))
