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
    assert card["II"]["status"] == "pass"  # repository rules always have something to check


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
