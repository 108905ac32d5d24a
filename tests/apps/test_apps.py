"""Sample applications with planted twelve-factor violations, and their clean twins.

Each planted violation is annotated ``# expect: AP001`` (``// expect:`` in JavaScript, Go and
Java) on the line above it; the AP findings must be exactly those lines and codes, tagged with
the rule's factors, and nothing at all on the clean twins. One semgrep run for the whole module.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import check_invariants
from twelvecheck.config import Config
from twelvecheck.engine import lint
from twelvecheck.rules.registry import find_rule

APPS = Path(__file__).parent
SOURCES = sorted(p for p in APPS.rglob("*") if p.suffix in {".py", ".js", ".go", ".java"} and p.name != Path(__file__).name)
EXPECT = re.compile(r"^\s*(?:#|//)\s*expect:\s*(.+)$")


def expected_findings(path: Path) -> set[tuple[int, str]]:
    """(line, code) for each ``expect:`` comment: the next line that is not a comment."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found = set()
    for number, line in enumerate(lines, start=1):
        match = EXPECT.match(line)
        if match:
            target = next(n for n in range(number + 1, len(lines) + 1) if not lines[n - 1].strip().startswith(("#", "//")))
            found |= {(target, code.strip()) for code in match.group(1).split(",")}
    return found


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    from twelvecheck.rules.semgrep import semgrep_executable

    if semgrep_executable() is None:
        pytest.skip("semgrep is not installed")
    report = lint([str(path) for path in SOURCES], Config(select=("AP", "TC")), root=str(APPS))
    check_invariants(report.findings)
    return report


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: str(path.relative_to(APPS)))
def test_exactly_the_planted_violations_are_reported(report, path):
    relative = str(path.relative_to(APPS))
    found = {(f.span.line, f.rule) for f in report.findings if f.file == relative}
    assert found == {(line, code) for line, code in expected_findings(path) if not code.startswith("AP2")}
    if "/clean/" in f"/{relative}":
        assert not found


def test_findings_carry_their_rules_factors(report):
    factors = {finding.rule: finding.factors for finding in report.findings}
    assert factors and all(factors[code] == find_rule(code).factors for code in factors)
    assert {factor for codes in factors.values() for factor in codes} >= {"III", "IV", "VI", "VII", "VIII", "IX", "X", "XI"}


def test_a_source_pragma_suppresses_with_its_justification(report):
    [silenced] = [s for s in report.suppressed if s.finding.file.endswith("flask/planted/worker.py")]
    assert silenced.finding.rule == "AP050"
    assert "honoured in source files" in silenced.justification
