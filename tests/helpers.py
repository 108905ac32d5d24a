"""Lint text in a temporary file through the real engine, the way the CLI does."""

from __future__ import annotations

import functools
import json
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

import pytest

from twelvecheck.config import Config
from twelvecheck.engine import lint
from twelvecheck.findings import Finding
from twelvecheck.results import Report
from twelvecheck.rules.registry import all_rules

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus"
CODES = {rule.code for rule in all_rules()}


def check_invariants(findings: list[Finding]) -> None:
    for finding in findings:
        assert finding.span.line >= 1 and finding.span.column >= 1, finding
        assert finding.rule in CODES, finding
        assert finding.message.strip(), finding


REPORTER_RULES = ("DF001", "DF003", "DF004", "DF006", "TC")


def write_tree(root: str, files: Mapping[str, str]) -> None:
    for name, text in files.items():
        path = os.path.join(root, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)


def lint_tree(root: str | Path, files: Mapping[str, str], config: Config | None = None) -> Report:
    """Write ``files`` (name -> text) below ``root`` and lint them; the report keeps ``root``."""
    root = str(root)
    write_tree(root, files)
    # Reporter tests pin the rules they show, so new rules do not change what they assert.
    report = lint([root], config or Config(select=REPORTER_RULES), root=root)
    check_invariants(report.findings)
    return report


def lint_files(files: Mapping[str, str], config: Config | None = None, audit: bool = False) -> list[Finding]:
    """Write ``files`` (name -> text) into a temp dir and lint (or audit) them; an audit runs in
    a fresh git repository holding every file, so repository rules see tracked files."""
    with tempfile.TemporaryDirectory() as root:
        write_tree(root, files)
        if audit:
            import subprocess

            from twelvecheck.report import render
            from twelvecheck.repository_audit import audit as run_audit

            subprocess.run(["git", "init", "-q", root], check=True)
            subprocess.run(["git", "-C", root, "add", "-A", "-f"], check=True)
            report = run_audit(root, config or Config(select=("all",)))
            validate_sarif(render(report, "sarif"))  # every audit the suite makes gives valid SARIF
        else:
            report = lint([root], config or Config(select=("all",)), root=root)
    check_invariants(report.findings)
    return report.findings


@functools.cache
def _sarif_validator():
    import jsonschema

    schema = json.loads((SHARED / "schemas" / "sarif-schema-2.1.0.json").read_text())
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def validate_sarif(text: str) -> dict:
    """Parse SARIF output and check it against the official 2.1.0 schema; every SARIF test calls this."""
    if not (SHARED / "schemas" / "sarif-schema-2.1.0.json").is_file():
        pytest.skip("../shared/schemas/sarif-schema-2.1.0.json is not beside this checkout")
    data = json.loads(text)
    errors = sorted(_sarif_validator().iter_errors(data), key=lambda error: list(error.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])
    return data


def lint_text(text: str, config: Config | None = None) -> list[Finding]:
    return lint_files({"Dockerfile": text}, config)


def run(*args: str, cwd=None, env=None) -> subprocess.CompletedProcess:
    """The CLI as a user runs it; GITHUB_ACTIONS is unset so the suite behaves the same on a runner."""
    inherited = {key: value for key, value in os.environ.items() if key != "GITHUB_ACTIONS"}
    return subprocess.run([sys.executable, "-m", "twelvecheck", *args], capture_output=True, text=True,
                          cwd=cwd, env={**inherited, **(env or {})}, timeout=120)


def write(path, text, mode="w"):
    path.parent.mkdir(parents=True, exist_ok=True)
    if mode == "wb":
        path.write_bytes(text)
    else:
        path.write_text(text)
    return path


def default_sigint() -> None:
    """``preexec_fn`` for a twelvecheck process a test interrupts: SIGINT as a terminal's Ctrl-C
    delivers it. A shell's background job ignores SIGINT and its children inherit that, so a
    suite started with ``&`` would otherwise send a SIGINT nobody receives."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
