"""ShellCheck integration (engine extras: SC keys, own severities, per-run notices) and the
security rules on the Windows Dockerfiles of the corpus."""

from __future__ import annotations

import pytest

from helpers import CORPUS, lint_files, lint_text
from twelvecheck.config import Config, RuleSettings
from twelvecheck.engine import lint

SC3014 = 'FROM debian:12-slim\nRUN [ "$(uname -m)" == "x86_64" ]\n'
SECURITY = ("DF100", "DF101", "DF102", "DF103", "DF104", "DF105",
            "SH101", "SH102", "SH103", "SH104", "SH105", "SH100")


def test_shellcheck_findings_keep_their_own_level_unless_configured():
    found = [f for f in lint_text(SC3014, Config(select=("SH100",)))]
    assert [(f.severity, f.message.split(":")[0]) for f in found] == [("warning", "SC3014")]
    configured = Config(select=("SH100",), rules={"SH100": RuleSettings(severity="error")})
    assert {f.severity for f in lint_text(SC3014, configured)} == {"error"}


def test_ignore_by_sc_code_and_by_rule():
    assert not lint_text(SC3014, Config(select=("SH100",), ignore=("sc3014",)))
    assert not [f for f in lint_text(SC3014, Config(select=("all",), ignore=("shellcheck",))) if f.rule == "SH100"]


def test_pragma_naming_an_sc_code_is_not_an_unknown_rule():
    text = "FROM debian:12-slim\nUSER nobody\n# twelvecheck ignore=SC3014\nRUN [ \"$(uname -m)\" == x ]\n"
    assert [f.rule for f in lint_text(text, Config(select=("SH100", "TC002")))] == []


def test_missing_binary_is_one_info_notice_per_run(tmp_path):
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "Dockerfile").write_text(SC3014)
    config = Config(select=("SH100",), rules={"SH100": RuleSettings(options={"path": str(tmp_path / "none")})})
    report = lint([str(tmp_path)], config, root=str(tmp_path))
    assert report.findings == []  # a notice of the run, not a finding pinned to a file
    assert [(f.rule, f.severity) for f in report.notices] == [("SH100", "info")]
    assert "not installed" in report.notices[0].message


def test_scripts_of_one_file_are_checked_in_one_process(monkeypatch):
    import subprocess

    calls = []
    real = subprocess.Popen
    monkeypatch.setenv("TWELVECHECK_NO_CACHE", "1")
    monkeypatch.setattr(subprocess, "Popen", lambda *a, **k: calls.append(a) or real(*a, **k))
    text = "FROM debian:12-slim\nRUN [ 1 == $a ]\nRUN [ 2 == $b ]\nRUN <<EOF\n[ 3 == $c ]\nEOF\n"
    found = lint_files({"Dockerfile": text}, Config(select=("SH100",)))
    assert len(calls) == 1 and {f.span.line for f in found} == {2, 3, 5}


WINDOWS = sorted(p for p in (CORPUS / "dockerfiles").glob("*")
                 if any(marker in p.name for marker in ("windows", "nanoserver", "servercore")))


def test_hadolint_shell_pragma_makes_run_powershell():
    text = "FROM local-windows-image\n# hadolint shell=powershell\nRUN echo $null >> C:/x/test\n"
    assert not lint_text(text, Config(select=("SH100", "DF100")))


@pytest.mark.skipif(not WINDOWS, reason="../shared/corpus is not beside this checkout")
def test_security_rules_do_not_misfire_on_windows_dockerfiles():
    report = lint([str(p) for p in WINDOWS], Config(select=SECURITY))
    assert [(f.file, f.rule, f.message) for f in report.findings] == []
