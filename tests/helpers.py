"""Lint text in a temporary file through the real engine, the way the CLI does."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from twelvecheck.config import Config
from twelvecheck.engine import lint
from twelvecheck.findings import Finding
from twelvecheck.rules.registry import all_rules

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus"
CODES = {rule.code for rule in all_rules()}


def check_invariants(findings: list[Finding]) -> None:
    for finding in findings:
        assert finding.span.line >= 1 and finding.span.column >= 1, finding
        assert finding.rule in CODES, finding
        assert finding.message.strip(), finding


def write_tree(root: str, files: Mapping[str, str]) -> None:
    for name, text in files.items():
        path = os.path.join(root, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)


def lint_files(files: Mapping[str, str], config: Config | None = None, audit: bool = False) -> list[Finding]:
    """Write ``files`` (name -> text) into a temp dir and lint (or audit) them; an audit runs in
    a fresh git repository holding every file, so repository rules see tracked files."""
    with tempfile.TemporaryDirectory() as root:
        write_tree(root, files)
        if audit:
            import subprocess

            from twelvecheck.audit import audit as run_audit

            subprocess.run(["git", "init", "-q", root], check=True)
            subprocess.run(["git", "-C", root, "add", "-A", "-f"], check=True)
            report = run_audit(root, config or Config(select=("all",)))
        else:
            report = lint([root], config or Config(select=("all",)), root=root)
    check_invariants(report.findings)
    return report.findings


def lint_text(text: str, config: Config | None = None) -> list[Finding]:
    return lint_files({"Dockerfile": text}, config)
