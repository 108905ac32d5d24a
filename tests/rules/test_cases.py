"""Runs every YAML case file in ``cases/``: one file per rule code, named cases of pass/fail text.

Case format::

    - name: what the case shows
      fail: |            # or pass: (no finding of this rule expected)
        FROM debian
      findings:          # optional, for fail: the expected findings of this rule, in order
        - line: 1
          column: 1      # optional
          message: fragment   # optional
      config: {...}      # optional configuration, read as a config file's mapping is
                         # (trusted-registries, label-schema, rules: {DC026: {minimum_seconds: 5}})
      files: {name: text}   # optional extra files beside the main file (cross-file cases:
                            # compose + Dockerfile + .dockerignore + entrypoint scripts)
      file: compose.yaml # optional name of the main file (default Dockerfile); a compose name
                         # makes the case a compose case. Without fail:/pass: text, the case
                         # is only its files (say which way with expect: fail|pass).
      fix: |             # optional, for fail: the main file after applying this rule's fixes
        FROM debian:12

Repository rules (``RP``) run through ``audit`` in a fresh git repository of the files.
Expected findings may name their ``file`` (a finding in an override or an entrypoint script).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from helpers import lint_files
from twelvecheck.config import Config, _apply_mapping
from twelvecheck.fix import apply_fixes
from twelvecheck.rules.registry import find_rule

CASES_DIR = Path(__file__).parent / "cases"


def _cases():
    for path in sorted(CASES_DIR.glob("*.yml")):
        code = path.stem
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            yield pytest.param(code, case, id=f"{code}-{case['name']}")


@pytest.mark.parametrize(("code", "case"), list(_cases()))
def test_case(code, case):
    # The same code path as a configuration file, so ``rules:`` options become RuleSettings.
    config = _apply_mapping(Config(select=(code,)), case.get("config", {}), f"{code} case {case['name']!r}", CASES_DIR)
    text = case.get("fail", case.get("pass"))
    main = {case.get("file", "Dockerfile"): text} if text is not None else {}
    files = {**main, **case.get("files", {})}
    audit = find_rule(code).kind == "repository"
    found = [f for f in lint_files(files, config, audit=audit) if f.rule == code]
    if "pass" in case or case.get("expect") == "pass":
        assert not found, f"unexpected: {[(f.span.line, f.message) for f in found]}"
        return
    assert found, "the rule did not fire"
    if "fix" in case:
        fixed, applied = apply_fixes(text, found, unsafe=True)
        assert applied and fixed == case["fix"]
    expected = case.get("findings")
    if expected is None:
        return
    assert len(found) == len(expected), [(f.span.line, f.message) for f in found]
    for finding, want in zip(found, expected):
        assert finding.span.line == want["line"]
        if "file" in want:
            assert finding.file == want["file"]
        if "column" in want:
            assert finding.span.column == want["column"]
        if "message" in want:
            assert want["message"] in finding.message
        if "severity" in want:
            assert finding.severity == want["severity"]
