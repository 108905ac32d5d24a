"""The shared corpus: every compose file lints without a rule crash, and ``audit`` finishes with a
scorecard on each corpus repository (its layout rebuilt in a temporary tree from MANIFEST.tsv)."""

import sys
from pathlib import Path

import pytest

from helpers import validate_sarif

from twelvecheck.repository_audit import audit
from twelvecheck.config import Config
from twelvecheck.engine import lint
from twelvecheck.report import render

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / ".." / "shared" / "corpus"
pytestmark = pytest.mark.skipif(not (CORPUS / "MANIFEST.tsv").is_file(), reason=f"shared corpus not found at {CORPUS}")


def crashes(findings):
    """TC004 findings of built-in rules (other tests may define throw-away rule classes)."""
    from twelvecheck.rules.registry import find_rule

    def built_in(code):
        rule = find_rule(code)
        return rule is not None and rule.__module__.startswith("twelvecheck.")

    return [f for f in findings if f.rule == "TC004" and built_in(f.message.split()[1])]


@pytest.fixture(scope="module")
def repositories(tmp_path_factory):
    sys.path.insert(0, str(ROOT / "bench"))
    from audit_corpus import rebuild

    return rebuild(tmp_path_factory.mktemp("corpus"))


def test_every_compose_file_lints_without_a_crash(repositories):
    import csv

    with (CORPUS / "MANIFEST.tsv").open(newline="") as manifest:
        rows = [row for row in csv.DictReader(manifest, delimiter="\t") if row["file"].startswith("compose/")]
    files = [str(repositories[row["repo"]] / row["path"]) for row in rows]
    report = lint(files, Config(select=("all",)), kinds=frozenset({"compose"}))
    assert len(files) == 253
    assert crashes(report.findings) == []


def test_audit_prints_a_scorecard_for_every_repository(repositories):
    for name, directory in repositories.items():
        report = audit(str(directory), Config())
        assert set(report.factors) == {"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"}, name
        assert crashes(report.findings) == [], name
        assert "Twelve-factor scorecard" in render(report, "text"), name
        validate_sarif(render(report, "sarif"))
