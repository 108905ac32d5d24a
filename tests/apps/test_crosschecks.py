"""Code <-> container cross-checks (AP2xx) through ``twelvecheck audit`` on the sample apps.

The planted apps carry ``expect: AP2xx`` annotations (in source, Dockerfile or compose files)
above each line a cross-check must report; the clean twins use the same binaries, ports and
variables, declared in their Dockerfile, compose file or ``.env.example``, and get nothing.
"""

from __future__ import annotations

import json
import os

import pytest

from helpers import run
from test_apps import APPS, expected_findings

VARIANTS = sorted(path.parent for path in APPS.glob("*/*/Dockerfile"))


@pytest.mark.parametrize("app", VARIANTS, ids=lambda path: str(path.relative_to(APPS)))
def test_audit_reports_exactly_the_planted_cross_check_violations(app):
    done = run("audit", str(app), "--select", "AP2", "--format", "json")
    assert done.returncode in (0, 1), done.stderr
    found = {(f["file"], f["line"], f["rule"]) for f in json.loads(done.stdout)["findings"]}
    # paths are relative to the working directory, the one base of every format
    expected = {(os.path.relpath(path), line, code)
                for path in app.rglob("*") if path.is_file()
                for line, code in expected_findings(path) if code.startswith("AP2")}
    assert found == expected
    assert (app.name == "clean") == (not found)


def test_cross_check_findings_carry_their_factors():
    done = run("audit", str(APPS / "flask" / "planted"), "--select", "AP2", "--format", "json")
    factors = {f["rule"]: f["factors"] for f in json.loads(done.stdout)["findings"]}
    assert factors == {"AP200": ["II"], "AP201": ["VII"], "AP202": ["III"]}
