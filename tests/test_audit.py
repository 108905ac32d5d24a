"""``audit``: the scorecard's statuses, the score, the JSON contract and the CLI."""

import json
import subprocess

from click.testing import CliRunner

from helpers import write_tree
from twelvecheck.repository_audit import audit
from twelvecheck.cli import main
from twelvecheck.config import Config


def test_scorecard_statuses(tmp_path):
    write_tree(str(tmp_path), {
        "Dockerfile": "FROM python:3.12-slim\nEXPOSE 8000\nCMD [\"python\", \"app.py\"]\n",
        "compose.yaml": "services:\n  web:\n    build: .\n    ports: ['8000:8000']\n    logging: {driver: none}\n"
                        "    healthcheck: {test: [CMD, true]}\n",
    })
    report = audit(str(tmp_path), Config())
    card = report.factors
    assert card["XI"]["status"] == "fail" and "DC020" in card["XI"]["codes"]  # logging: none
    assert card["VII"]["status"] == "pass"
    assert report.score is not None and 0 <= report.score <= 100
    data = report.as_json()
    assert data["factors"]["XI"]["findings"] >= 1 and data["summary"]["score"] == report.score


def test_factor_without_checkable_input_is_not_applicable(tmp_path):
    write_tree(str(tmp_path), {"README.md": "nothing to see\n"})
    card = audit(str(tmp_path), Config()).factors
    assert card["VI"]["status"] == "not-applicable"
    # no file the audit reads: the repository rules alone judge nothing, so no factor passes
    assert card["II"]["status"] == "not-applicable"


def test_cli_audit_text_and_json(tmp_path):
    write_tree(str(tmp_path), {".env": "SECRET=1\n", "Dockerfile": "FROM alpine:3.20\n"})
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(["git", "-C", str(tmp_path), "add", "-A", "-f"], check=True)
    result = CliRunner().invoke(main, ["audit", str(tmp_path)])
    assert result.exit_code == 1 and "Twelve-factor scorecard" in result.output and "RP002" in result.output
    result = CliRunner().invoke(main, ["audit", str(tmp_path), "--format", "json"])
    assert json.loads(result.output)["factors"]["III"]["status"] == "fail"


def test_lint_of_one_dockerfile_does_not_import_compose_or_yaml(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\n")
    code = ("import sys; from twelvecheck import lint; lint([sys.argv[1]]); "
            "bad = [m for m in ('yaml', 'jsonschema', 'twelvecheck.parse.compose', 'twelvecheck.rules.compose.secret_in_environment') if m in sys.modules]; "
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys_executable(), "-c", code, str(tmp_path / "Dockerfile")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def sys_executable():
    import sys

    return sys.executable


def test_an_empty_directory_has_no_applicable_factor_and_no_score(tmp_path):
    report = audit(str(tmp_path), Config())
    assert {entry["status"] for entry in report.factors.values()} == {"not-applicable"}
    assert report.score is None


def test_checks_that_could_not_run_are_not_checked_never_pass(tmp_path, monkeypatch):
    from twelvecheck.rules import semgrep

    monkeypatch.setattr(semgrep, "semgrep_executable", lambda: None)
    (tmp_path / "Dockerfile").write_text("FROM python:3.12-slim\nCOPY app.py /app/\nUSER 1000\nCMD [\"python\", \"/app/app.py\"]\n")
    (tmp_path / "app.py").write_text("print('hello')\n")
    report = audit(str(tmp_path), Config())
    assert [notice.rule for notice in report.notices] == ["TC005"]
    assert not [f for f in report.findings if f.rule == "TC005"]
    statuses = {factor: entry["status"] for factor, entry in report.factors.items()}
    assert "not-checked" in statuses.values()
    assert "pass" not in {statuses[f] for f, e in report.factors.items() if "could not run" in e["explanation"]}


def test_findings_column_and_explanation_count_the_same_findings(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM python:3.12\nRUN pip install flask\nCMD python app.py\n")
    report = audit(str(tmp_path), Config())
    for entry in report.factors.values():
        if entry["status"] in ("fail", "warn"):
            assert entry["explanation"].startswith(f"{entry['findings']} ")
