"""The GitHub Action's shell step and the GitLab CI job, run here with the variables a runner sets.

Installing is the one step left out (``install: false`` / the pip line): the suite's own
twelvecheck is first on PATH instead.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml
from helpers import validate_sarif

CHECKOUT = Path(__file__).resolve().parents[1]
BAD = "FROM alpine\nUSER nobody\nCMD sh\n"


def runner_env(**variables: str) -> dict[str, str]:
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    return {**os.environ, "PATH": path, "CI": "true", **variables}


def action_step(workspace: Path, fail_on: str) -> subprocess.CompletedProcess:
    env = runner_env(GITHUB_ACTIONS="true", GITHUB_WORKSPACE=str(workspace),
                     GITHUB_ACTION_PATH=str(CHECKOUT), GITHUB_OUTPUT=str(workspace / "github-output"),
                     RUNNER_TEMP=str(workspace / "runner-temp"), INPUT_INSTALL="false", INPUT_PATHS=".",
                     INPUT_SARIF="twelvecheck.sarif", INPUT_HTML="twelvecheck.html", TWELVECHECK_FAIL_ON=fail_on)
    (workspace / "runner-temp").mkdir(exist_ok=True)
    step = yaml.safe_load((CHECKOUT / "action.yml").read_text())["runs"]["steps"][1]
    return subprocess.run(["bash", "-c", step["run"]], cwd=workspace, env=env, capture_output=True, text=True, timeout=120)


def test_action_passes_every_input_the_script_reads():
    action = yaml.safe_load((CHECKOUT / "action.yml").read_text())
    (step,) = [step for step in action["runs"]["steps"] if step.get("id") == "lint"]
    read = set(re.findall(r"\$\{?(INPUT_[A-Z_]+)", (CHECKOUT / "ci" / "github-action.sh").read_text()))
    assert read <= set(step["env"]), read - set(step["env"])
    assert action["outputs"]["exit-code"]["value"] == "${{ steps.lint.outputs.exit-code }}"


def test_action_step_annotates_and_writes_sarif_and_html(tmp_path):
    (tmp_path / "Dockerfile").write_text(BAD)
    result = action_step(tmp_path, "warning")
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("::warning file=Dockerfile,line=1,")
    assert len(validate_sarif((tmp_path / "twelvecheck.sarif").read_text())["runs"][0]["results"]) == 2
    assert 'id="scorecard"' in (tmp_path / "twelvecheck.html").read_text()
    assert (tmp_path / "github-output").read_text() == "exit-code=1\n"
    assert action_step(tmp_path, "error").returncode == 0


def test_gitlab_job_writes_its_artifacts(tmp_path):
    job = yaml.safe_load((CHECKOUT / "ci" / "gitlab-twelvecheck.yml").read_text())["twelvecheck"]
    (tmp_path / "Dockerfile").write_text(BAD)
    env = runner_env(GITLAB_CI="true", **job["variables"])
    script = "\n".join(line for line in job["script"] if "pip install" not in line)
    result = subprocess.run(["bash", "-eo", "pipefail", "-c", script], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines()[-1].startswith("2 findings in 1 file")
    artifacts = job["artifacts"]
    for name in [*artifacts["paths"], *artifacts["reports"].values()]:
        assert (tmp_path / name).is_file(), name
    assert len(json.loads((tmp_path / artifacts["reports"]["codequality"]).read_text())) == 2
