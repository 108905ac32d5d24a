"""The twelve-factor scorecard of an audit: one status per factor, and an overall score.

Scoring rule (documented in the README):
* ``fail``: at least one ``error`` or ``warning`` finding is tagged with the factor;
* ``warn``: only ``info`` or ``style`` findings are tagged with it;
* ``pass``: no finding, and at least one enabled rule for the factor had something to check;
* ``not-applicable``: no enabled rule for the factor checks any kind of file the repository has
  (a repository without compose files cannot be judged on compose-only checks).
The overall score is the mean over applicable factors of pass = 1, warn = 0.5, fail = 0, as a
percentage.
"""

from __future__ import annotations

from collections.abc import Iterable

from twelvecheck.findings import FACTORS, FACTOR_TITLES, Finding, at_least
from twelvecheck.rules.base import Rule

POINTS = {"pass": 1.0, "warn": 0.5, "fail": 0.0}


def scorecard(findings: Iterable[Finding], rules: Iterable[type[Rule]], kinds_present: set[str]) -> dict[str, dict]:
    """``{"I": {"status", "findings", "name", "explanation", "codes"}, ...}``."""
    findings = list(findings)
    rules = list(rules)
    card = {}
    for factor in FACTORS:
        tagged = [f for f in findings if factor in f.factors]
        checking = [r for r in rules if factor in r.factors and (r.kind in kinds_present or r.kind == "any")]
        serious = [f for f in tagged if at_least(f.severity, "warning")]
        if serious:
            status, deciding = "fail", serious
            explanation = f"{len(serious)} warning/error finding(s), e.g. {serious[0].rule} {serious[0].name}"
        elif tagged:
            status, deciding = "warn", tagged
            explanation = f"{len(tagged)} advisory finding(s), e.g. {tagged[0].rule} {tagged[0].name}"
        elif checking:
            status, deciding = "pass", []
            explanation = f"{len(checking)} rule(s) checked, nothing found"
        else:
            status, deciding = "not-applicable", []
            explanation = "nothing in the repository lets this factor be judged"
        card[factor] = {
            "status": status, "findings": len(tagged), "name": FACTOR_TITLES[factor],
            "explanation": explanation, "codes": sorted({f.rule for f in deciding}),
        }
    return card


def overall_score(card: dict[str, dict]) -> int | None:
    """Percentage over applicable factors (None when none applies)."""
    points = [POINTS[entry["status"]] for entry in card.values() if entry["status"] in POINTS]
    return round(100 * sum(points) / len(points)) if points else None
