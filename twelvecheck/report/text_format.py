"""Terminal output: ``path:line:col CODE severity message``, then a summary line."""

from __future__ import annotations

from twelvecheck.findings import SEVERITIES
from twelvecheck.results import Report

_COLORS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m", "style": "\033[2m"}
_RESET, _BOLD = "\033[0m", "\033[1m"


def _paint(text: str, code: str, color: bool) -> str:
    return f"{code}{text}{_RESET}" if color else text


def _source(sources, finding) -> list[str]:
    """The flagged line with a caret under its column, as ruff and hadolint's tty output show it."""
    text = sources.lines(finding.file)
    if not 1 <= finding.span.line <= len(text):
        return []
    source = text[finding.span.line - 1].expandtabs(1)
    width = max(1, min(finding.span.end_column, len(source) + 1) - finding.span.column) if finding.span.end_line == finding.span.line else 1
    return [f"    | {source}", f"    | {' ' * (finding.span.column - 1)}{'^' * width}"]


def render(report: Report, color: bool = False) -> str:
    from twelvecheck.sources import Sources

    sources = Sources(report.root)
    lines = []
    for finding in report.findings:
        where = _paint(f"{finding.file}:{finding.span.line}:{finding.span.column}", _BOLD, color)
        severity = _paint(finding.severity, _COLORS[finding.severity], color)
        line = f"{where} {finding.rule} {severity} {finding.message}"
        if finding.hint:
            line += f" ({finding.hint})"
        lines.append(line)
        if report.show_source:
            lines.extend(_source(sources, finding))
    counts = report.by_severity()
    detail = ", ".join(f"{counts[s]} {s}" for s in SEVERITIES if counts.get(s))
    files = len(report.files)
    summary = f"{len(report.findings)} finding{'s' if len(report.findings) != 1 else ''} in {files} file{'s' if files != 1 else ''}"
    if detail:
        summary += f" ({detail})"
    if report.suppressed:
        summary += f", {len(report.suppressed)} suppressed"
    if report.baselined:
        summary += f", {report.baselined} baselined"
    lines.append(summary)
    if report.factors is not None:
        lines.extend(_scorecard(report, color))
    return "\n".join(lines) + "\n"


_STATUS_COLORS = {"pass": "\033[32m", "warn": "\033[33m", "fail": "\033[31m", "not-applicable": "\033[2m",
                  "not-checked": "\033[35m"}


def _scorecard(report: Report, color: bool) -> list[str]:
    lines = ["", "Twelve-factor scorecard", f"{'factor':<26} {'status':<15} {'findings':>8}  explanation"]
    for factor, entry in report.factors.items():
        label = f"{factor:<5} {entry.get('name', '')}"
        status = _paint(f"{entry['status']:<15}", _STATUS_COLORS.get(entry["status"], ""), color)
        lines.append(f"{label:<26} {status} {entry['findings']:>8}  {entry.get('explanation', '')}")
    if report.score is not None:
        lines.append(f"overall score: {report.score}/100")
    return lines
