"""A self-contained HTML report: scorecard, charts, findings with source, filters. No network.

This module turns the report into plain values for ``templates/report.html.j2`` (counts, bar
lengths, snippets); the template lays them out with autoescaping on, so file contents and
messages never become markup. jinja2 is imported here only, so other formats never pay for it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from twelvecheck import __version__
from twelvecheck.findings import FACTOR_TITLES, FACTORS, SEVERITIES, Finding
from twelvecheck.results import Report
from twelvecheck.rules.docs import render_markdown
from twelvecheck.rules.registry import find_rule
from twelvecheck.sources import Sources

CONTEXT_LINES = 2  # shown above and below the flagged lines
MAX_FLAGGED_LINES = 8  # a long span shows its first lines only
TOP_RULES = 15  # the rule chart's length


@dataclass(frozen=True, slots=True)
class SnippetLine:
    number: int
    text: str
    flagged: bool


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    count: int
    percent: float  # of the longest bar


def render(report: Report, color: bool = False) -> str:
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    )
    return environment.get_template("report.html.j2").render(view(report))


def view(report: Report) -> dict[str, Any]:
    sources = Sources(report.root, report.texts)
    files: dict[str, list[dict[str, Any]]] = {}
    standing = report.standing
    for finding in standing:
        files.setdefault(finding.file, []).append({"finding": finding, "snippet": snippet(finding, sources)})
    codes = sorted({finding.rule for finding in standing})
    return {
        "version": __version__,
        "report": report,
        "scorecard": scorecard(report),
        "audited": report.factors is not None,
        "score": report.score,
        "severities": bars(Counter(f.severity for f in standing), SEVERITIES),
        "rules": bars(Counter(f.rule for f in standing)),
        "files": files,
        "help": {code: _help_html(code) for code in codes},
        "origin": origin(report),
        "names": {f.rule: f.name for f in standing},
        "factors": sorted({factor for f in standing for factor in f.factors}, key=FACTORS.index),
        "refuted": report.refuted if report.show_refuted else [],
        "refuted_count": len(report.refuted),
        "ledger": ledger_view(report.ledger) if report.ledger is not None else None,
        "run": run_view(report.run) if report.run is not None else None,
    }


def run_view(run: dict[str, Any]) -> dict[str, Any]:
    """verify --run's timeline: each event at its share of the run's length (percent)."""
    end = max((item["seconds"] for item in run["timeline"]), default=0.0) or 1.0
    events = [{**item, "left": round(100 * item["seconds"] / end, 2)} for item in run["timeline"]]
    return {**run, "events": events, "length": end, "command": " ".join(run["argv"])}


LEDGER_BAR = 260  # pixels of the longest layer bar


def ledger_view(ledger: dict[str, Any]) -> dict[str, Any]:
    """The ledger's numbers as text and bar widths for the template."""
    from twelvecheck.rules._verify import size

    longest = max((row["bytes_added"] for row in ledger["layers"]), default=0) or 1
    rows = []
    for row in ledger["layers"]:
        kept = row["bytes_added"] - row["bytes_removed_later"]
        rows.append({"layer": row["layer"], "line": row["instruction_line"], "base": row["base"],
                     "label": f"layer {row['layer']}" + (f" :{row['instruction_line']}" if row["instruction_line"] else ""),
                     "instruction": row["created_by"][:160], "added": size(row["bytes_added"]),
                     "removed": size(row["bytes_removed_later"]), "twice": row["files_written_twice"],
                     "kept_width": round(LEDGER_BAR * kept / longest, 1),
                     "wasted_width": round(LEDGER_BAR * row["bytes_removed_later"] / longest, 1)})
    blame = [{**item, "size": size(item["bytes"])} for item in ledger["reclaimable"]]
    return {"rows": rows, "blame": blame, "total": size(ledger["total_bytes"]),
            "reclaimable": size(ledger["reclaimable_bytes"]), "dive": ledger["dive"],
            "dive_wasted": size(ledger["dive"]["wasted_bytes"])}


def _help_html(code: str):
    from markupsafe import Markup

    from twelvecheck.report._markdown import to_html

    return Markup(to_html(render_markdown(find_rule(code))))  # to_html escapes every piece of text


def origin(report: Report) -> dict[str, str | None]:
    """What the report is about, for its header: the repository (or directory) and path, when it
    was made, and the commit checked out there (read from .git, no git process)."""
    from datetime import datetime, timezone

    root = Path(report.root).resolve()
    top = next((folder for folder in (root, *root.parents) if (folder / ".git").exists()), None)
    return {
        "repository": (top or root).name,
        "path": str(root.relative_to(top)) if top is not None and root != top else "",
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": _head_commit(top / ".git") if top is not None else None,
    }


def _head_commit(git: Path) -> str | None:
    try:
        head = (git / "HEAD").read_text(encoding="utf-8").strip()
        if not head.startswith("ref: "):
            return head[:12]
        ref = head[5:]
        if (git / ref).is_file():
            return (git / ref).read_text(encoding="utf-8").strip()[:12]
        for line in (git / "packed-refs").read_text(encoding="utf-8").splitlines():
            if line.endswith(" " + ref):
                return line.split()[0][:12]
    except OSError:
        return None
    return None


def scorecard(report: Report) -> list[dict[str, Any]]:
    """All twelve factors: the audit's verdicts (why, and which rules decided), or for a plain
    lint what the findings touch."""
    touched = Counter(factor for finding in report.standing for factor in finding.factors)
    cards = []
    for factor in FACTORS:
        verdict = (report.factors or {}).get(factor)
        card = {"numeral": factor, "title": FACTOR_TITLES[factor], "explanation": "", "codes": []}
        if verdict is not None:
            card.update(status=verdict.get("status", "not-applicable"), count=verdict.get("findings", 0),
                        explanation=verdict.get("explanation", ""), codes=verdict.get("codes", []))
        else:
            card.update(status="findings" if touched[factor] else "no-findings", count=touched[factor])
        cards.append(card)
    return cards


def bars(counts: Counter[str], order: tuple[str, ...] | None = None) -> list[Bar]:
    """Bars for a chart: in ``order`` when given (zero counts dropped), else the largest first."""
    items = [(label, counts[label]) for label in order if counts[label]] if order else counts.most_common(TOP_RULES)
    longest = max((count for _, count in items), default=1)
    return [Bar(label, count, round(100 * count / longest, 1)) for label, count in items]


def snippet(finding: Finding, sources: Sources) -> list[SnippetLine]:
    lines = sources.lines(finding.file)
    last_flagged = min(finding.span.end_line, finding.span.line + MAX_FLAGGED_LINES - 1)
    first = max(1, finding.span.line - CONTEXT_LINES)
    last = min(len(lines), last_flagged + CONTEXT_LINES)
    return [SnippetLine(number, lines[number - 1], finding.span.line <= number <= last_flagged)
            for number in range(first, last + 1)]
