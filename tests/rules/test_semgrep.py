"""The semgrep adapter: the ruleset's own tests, one process per run, the cache, the notice."""

from __future__ import annotations

import subprocess

import pytest

from twelvecheck.config import Config
from twelvecheck.discover import Candidate
from twelvecheck.rules import semgrep
from twelvecheck.rules.source.rulesets import RULESET_DIR

LOG_TO_FILE = 'import logging\nhandler = logging.FileHandler("app.log")\n'
SEMGREP = semgrep.semgrep_executable()
needs_semgrep = pytest.mark.skipif(SEMGREP is None, reason="semgrep is not installed")


@needs_semgrep
def test_the_rulesets_annotated_targets_pass_semgrep_test():
    done = subprocess.run([SEMGREP, "--test", "--metrics=off", "--disable-version-check", str(RULESET_DIR)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]


@needs_semgrep
def test_an_unchanged_tree_is_served_from_the_cache_without_semgrep(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    source = tmp_path / "app.py"
    source.write_text(LOG_TO_FILE + "# nosemgrep\nother = logging.FileHandler('b.log')\n")
    jobs = [(Candidate(str(source), "source"), "app.py")]
    config = Config(select=("AP070",))
    first, _, scan = semgrep.lint_sources(jobs, config)
    assert scan.semgrep_runs == 1
    assert [(f.rule, f.span.line, f.factors) for f in first] == [("AP070", 2, ("XI",))]
    monkeypatch.setattr(semgrep, "semgrep_executable", lambda: pytest.fail("semgrep started on a cache hit"))
    again, _, scan = semgrep.lint_sources(jobs, config)
    assert scan.semgrep_runs == 0 and again == first


def test_missing_semgrep_is_one_info_notice(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(semgrep, "semgrep_executable", lambda: None)
    paths = [tmp_path / "a.py", tmp_path / "b.js"]
    for path in paths:
        path.write_text(LOG_TO_FILE)
    jobs = [(Candidate(str(path), "source"), path.name) for path in paths]
    findings, _, _ = semgrep.lint_sources(jobs, Config())
    assert [(f.rule, f.severity, f.per_run) for f in findings] == [("TC005", "info", True)]
    assert "semgrep is not installed" in findings[0].message
    assert "AP2xx" in findings[0].message  # the cross-checks ran: the notice must not say otherwise


def test_the_dockerfile_path_never_imports_semgrep(tmp_path):
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM alpine:3.20\n")
    code = ("import sys, twelvecheck; twelvecheck.lint([sys.argv[1]]);"
            "assert 'twelvecheck.rules.semgrep' not in sys.modules and 'twelvecheck.rules.source.rulesets' not in sys.modules")
    subprocess.run([__import__("sys").executable, "-c", code, str(dockerfile)], check=True)
