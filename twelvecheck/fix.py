"""Applying fixes: text edits that do not overlap, applied from the end, written atomically."""

from __future__ import annotations

from collections.abc import Iterable

from twelvecheck.findings import Edit, Finding


def _offset(lines: list[str], line: int, column: int) -> int:
    """Offset of a 1-based (line, column) in the text made of ``lines`` (each keeps its newline)."""
    return sum(len(text) for text in lines[: line - 1]) + column - 1


def apply_fixes(text: str, findings: Iterable[Finding], unsafe: bool = False) -> tuple[str, int]:
    """The text with every applicable fix applied, and how many fixes were applied.

    A fix whose edits overlap an already chosen fix is left for the next round (the CLI
    re-lints and tries again), so two rules never edit the same text at once.
    """
    lines = text.splitlines(keepends=True)
    chosen: list[tuple[int, int, str]] = []
    applied = 0
    for finding in findings:
        fix = finding.fix
        if fix is None or (not fix.safe and not unsafe):
            continue
        ranges = [_edit_range(lines, edit) for edit in fix.edits]
        if any(start < end_ and start_ < end for start, end, _ in ranges for start_, end_, _ in chosen):
            continue
        chosen.extend(ranges)
        applied += 1
    for start, end, replacement in sorted(chosen, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text, applied


def _edit_range(lines: list[str], edit: Edit) -> tuple[int, int, str]:
    span = edit.span
    return _offset(lines, span.line, span.column), _offset(lines, span.end_line, span.end_column), edit.text


MAX_ROUNDS = 5


def fix_paths(paths: list[str], config, unsafe: bool = False):
    """Lint, apply fixes to the files, re-lint; repeat while fixes apply. Returns (report, count).

    Each file is rewritten atomically (write beside it, then rename), keeping its permissions.
    """
    import os

    from twelvecheck.engine import lint
    from twelvecheck.report import write_atomic

    total = 0
    for _ in range(MAX_ROUNDS):
        report = lint(paths, config)
        by_file: dict[str, list[Finding]] = {}
        for finding in report.findings:
            if finding.fix is not None:
                by_file.setdefault(finding.file, []).append(finding)
        round_total = 0
        for path, findings in by_file.items():
            with open(path, encoding="utf-8", newline="") as handle:
                text = handle.read()
            fixed, applied = apply_fixes(text, findings, unsafe)
            if applied and fixed != text:
                mode = os.stat(path).st_mode & 0o7777
                write_atomic(path, fixed)
                os.chmod(path, mode)
                round_total += applied
        total += round_total
        if not round_total:
            return report, total
    return lint(paths, config), total
