"""Terminal output: ``path:line:col CODE severity message``, then a summary line."""

from __future__ import annotations

from dataclasses import replace

from twelvecheck.findings import SEVERITIES
from twelvecheck.report._escape import terminal_safe
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
    return [f"    | {terminal_safe(source)}", f"    | {' ' * (finding.span.column - 1)}{'^' * width}"]


def render(report: Report, color: bool = False) -> str:
    # verify: refuted findings only with --show-refuted, after the others (see _arranged)
    refuted = report.refuted
    report = replace(report, findings=report.standing + (refuted if report.show_refuted else []))
    sources = None
    if report.show_source:
        from twelvecheck.sources import Sources

        sources = Sources(report.root, report.texts)
    blocks = []
    for finding in report.findings:
        # names and messages quote the files: escaped first, so only our own colours remain
        where = _paint(f"{terminal_safe(finding.file)}:{finding.span.line}:{finding.span.column}", _BOLD, color)
        severity = _paint(finding.severity, _COLORS[finding.severity], color)
        line = f"{where} {terminal_safe(finding.rule)} {severity} {terminal_safe(finding.message)}"
        if finding.hint:
            line += f" ({terminal_safe(finding.hint)})"
        blocks.append([line, *(_source(sources, finding) if sources is not None else ())])
    lines = _arranged(report, blocks)
    counts = report.by_severity()
    detail = ", ".join(f"{counts[s]} {s}" for s in SEVERITIES if counts.get(s))
    files = len(report.files)
    shown = len(report.standing)
    summary = f"{shown} finding{'s' if shown != 1 else ''} in {files} file{'s' if files != 1 else ''}"
    if detail:
        summary += f" ({detail})"
    if report.suppressed:
        summary += f", {len(report.suppressed)} suppressed"
    if report.baselined:
        summary += f", {report.baselined} baselined"
    if refuted:
        summary += f", {len(refuted)} refuted by the image" + ("" if report.show_refuted else " (--show-refuted lists them)")
    lines.append(summary)
    if report.ledger is not None:
        lines.append(_ledger_line(report.ledger))
    if report.fix_proof is not None:
        from twelvecheck.fix_proof import proof_lines

        lines.extend(proof_lines(report.fix_proof))
    if report.factors is not None:
        lines.extend(_scorecard(report, color))
    return "\n".join(lines) + "\n"


def _arranged(report: Report, blocks: list[list[str]]) -> list[str]:
    """One evidence line under each verified finding, the refuted ones under their own heading,
    then verify's notes (``blocks`` has the lines of each finding, in order: the finding's own
    line, then its source lines)."""
    arranged, heading = [], False
    for finding, (line, *source) in zip(report.findings, blocks):
        if finding.refuted and not heading:
            heading = True
            arranged += ["", f"Refuted by the image ({len(report.refuted)}; they fail nothing):"]
        arranged.append(line)
        if finding.evidence:
            shown = "; ".join(evidence.description for evidence in finding.evidence)
            arranged.append(f"    evidence ({finding.verification or 'seen'}): {terminal_safe(shown)}")
        arranged.extend(source)
    return arranged + [f"note: {terminal_safe(note)}" for note in report.notes]


def _ledger_line(ledger: dict) -> str:
    from twelvecheck.rules._verify import size

    dive = ledger["dive"]
    return (f"image: {size(ledger['total_bytes'])} in {len(ledger['layers'])} layers, "
            f"{size(ledger['reclaimable_bytes'])} reclaimable in your layers; dive: efficiency "
            f"{dive['efficiency']:.2%}, wasted {size(dive['wasted_bytes'])}, user wasted {dive['user_wasted_percent']:.2%}")


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
