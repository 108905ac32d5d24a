"""The twelve-factor scorecard of an audit: one status per factor, and an overall score.

Scoring rule (documented in the README):
* ``fail``: at least one ``error`` or ``warning`` finding is tagged with the factor;
* ``warn``: only ``info`` or ``style`` findings are tagged with it;
* ``pass``: no finding, and every enabled rule for the factor that had something to check ran;
* ``not-checked``: no finding, but some of those rules could not run (ShellCheck or semgrep is
  not installed): silence from a check that never ran is not a pass;
* ``not-applicable``: no enabled rule for the factor checks any kind of file the repository has
  (a repository without compose files cannot be judged on compose-only checks; an empty
  directory has no applicable factor and no score).
The overall score is the mean over pass = 1, warn = 0.5, fail = 0, as a percentage; not-checked
and not-applicable factors do not count.
"""

from __future__ import annotations

from collections.abc import Iterable

from twelvecheck.findings import FACTORS, FACTOR_TITLES, Finding, at_least
from twelvecheck.rules.base import Rule

POINTS = {"pass": 1.0, "warn": 0.5, "fail": 0.0}


def scorecard(findings: Iterable[Finding], rules: Iterable[type[Rule]], kinds_present: set[str],
              skipped: Iterable[str] = ()) -> dict[str, dict]:
    """``{"I": {"status", "findings", "name", "explanation", "codes"}, ...}``; ``skipped`` are
    the codes of rules that could not run."""
    findings = list(findings)
    rules = list(rules)
    skipped = set(skipped)
    card = {}
    for factor in FACTORS:
        tagged = [f for f in findings if factor in f.factors]
        applicable = [r for r in rules if factor in r.factors and (r.kind in kinds_present or r.kind == "any")]
        not_run = [r for r in applicable if r.code in skipped]
        serious = [f for f in tagged if at_least(f.severity, "warning")]
        if serious:
            status, deciding = "fail", serious
            explanation = f"{len(tagged)} finding(s), {len(serious)} of them warning/error, e.g. {serious[0].rule} {serious[0].name}"
        elif tagged:
            status, deciding = "warn", tagged
            explanation = f"{len(tagged)} advisory finding(s), e.g. {tagged[0].rule} {tagged[0].name}"
        elif not_run:
            status, deciding = "not-checked", []
            explanation = (f"{len(applicable) - len(not_run)} rule(s) checked, nothing found; {len(not_run)} could not "
                           f"run ({', '.join(sorted(r.code for r in not_run)[:4])}): install the missing tool")
        elif applicable:
            status, deciding = "pass", []
            explanation = f"{len(applicable)} rule(s) checked, nothing found"
        else:
            status, deciding = "not-applicable", []
            explanation = "nothing in the repository lets this factor be judged"
        card[factor] = {
            "status": status, "findings": len(tagged), "name": FACTOR_TITLES[factor],
            "explanation": explanation, "codes": sorted({f.rule for f in deciding}),
        }
    return card


def skipped_codes(notices: Iterable[Finding], rules: Iterable[type[Rule]]) -> set[str]:
    """Codes of the rules a notice says did not run: ShellCheck's own rule, or every semgrep
    source rule when semgrep is missing (TC005)."""
    from twelvecheck.rules.source._base import SemgrepRule

    codes = {notice.rule for notice in notices}
    if "TC005" in codes:
        codes |= {rule.code for rule in rules if issubclass(rule, SemgrepRule)}
    return codes


def overall_score(card: dict[str, dict]) -> int | None:
    """Percentage over applicable factors (None when none applies)."""
    points = [POINTS[entry["status"]] for entry in card.values() if entry["status"] in POINTS]
    return round(100 * sum(points) / len(points)) if points else None
