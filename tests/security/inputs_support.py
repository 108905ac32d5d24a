"""Shared by the tests/security/test_inputs_* and test_terminal_* tests: a host-side canary file
outside the linted tree, and every report format of a run, to assert nothing of it leaks."""

from __future__ import annotations

import os
from pathlib import Path

from twelvecheck.config import Config
from twelvecheck.engine import lint
from twelvecheck.report import render
from twelvecheck.results import Report

CANARY = "CANARY7F3A"
# Text that would be quoted if it were read: an unknown instruction, invalid YAML, env lines.
CANARY_TEXT = (f"FROM {CANARY}:1\n{CANARY}INSTRUCTION x\nRUN [[[ {CANARY}\n"
               f"{CANARY}_KEY={CANARY}\n{CANARY}: [unclosed\n")
FORMATS = ("text", "json", "sarif", "html", "github", "gitlab", "junit", "checkstyle")


def host_canary(tmp_path: Path) -> Path:
    """A file outside the tree that will be linted (``tmp_path / "repo"``)."""
    outside = tmp_path / "host"
    outside.mkdir(exist_ok=True)
    secret = outside / "secret"
    secret.write_text(CANARY_TEXT)
    for name in ("compose.yaml", "extends.yaml", "env"):
        (outside / name).write_text(f"services:\n  {CANARY.lower()}:\n    image: {CANARY.lower()}\n" if name != "env"
                                    else CANARY_TEXT)
    return secret


def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir(exist_ok=True)
    return root


def lint_all_formats(root: Path, paths: list[str] | None = None, config: Config | None = None,
                     audit: bool = False) -> tuple[Report, dict[str, str]]:
    """Lint (or audit) from inside ``root`` as CI does, and render every format."""
    previous = os.getcwd()
    os.chdir(root)
    try:
        if audit:
            from twelvecheck.repository_audit import audit as run_audit

            report = run_audit(".", config or Config(select=("all",), ignore=("SH100",)))
        else:
            report = lint(paths or ["."], config or Config(select=("all",), ignore=("SH100",)))
        outputs = {fmt: render(report, fmt) for fmt in FORMATS}
        outputs["text-color"] = render(report, "text", color=True)
    finally:
        os.chdir(previous)
    return report, outputs


def assert_no_canary(outputs: dict[str, str]) -> None:
    for fmt, text in outputs.items():
        assert CANARY not in text and CANARY.lower() not in text, f"host content in the {fmt} report"


def findings_of(report: Report, rule: str) -> list:
    return [finding for finding in report.findings if finding.rule == rule]
