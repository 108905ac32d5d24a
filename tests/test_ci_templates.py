"""The GitHub Action's shell step and the GitLab CI job, run here with the variables a runner sets.

Installing is the one step left out (``install: false`` / the job's ``before_script``): the
suite's own twelvecheck is first on PATH instead. Both audit a small git checkout.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml
from helpers import validate_sarif, write_tree

CHECKOUT = Path(__file__).resolve().parents[1]
REPOSITORY = {
    "Dockerfile": "FROM alpine\nUSER nobody\nCMD sh\n",
    "compose.yaml": "services:\n  app:\n    build: .\n    privileged: true\n",
}


def checkout(root: Path) -> Path:
    write_tree(str(root), REPOSITORY)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    return root


def runner_env(**variables: str) -> dict[str, str]:
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    inherited = {key: value for key, value in os.environ.items() if not key.startswith(("GITHUB_", "INPUT_", "TWELVECHECK_"))}
    return {**inherited, "PATH": path, "CI": "true", **variables}


def action():
    return yaml.safe_load((CHECKOUT / "action.yml").read_text())


def audit_step():
    (step,) = [step for step in action()["runs"]["steps"] if step.get("id") == "audit"]
    return step


def action_step(workspace: Path, fail_on: str = "warning", args: str = "") -> subprocess.CompletedProcess:
    """The audit step as the runner runs it: the job's working directory is the workspace."""
    temp = workspace.parent / "runner-temp"
    temp.mkdir(exist_ok=True)
    env = runner_env(GITHUB_ACTIONS="true", GITHUB_WORKSPACE=str(workspace), GITHUB_ACTION_PATH=str(CHECKOUT),
                     GITHUB_OUTPUT=str(temp / "output"), GITHUB_STEP_SUMMARY=str(temp / "summary.md"),
                     RUNNER_TEMP=str(temp), INPUT_INSTALL="false", INPUT_PATH=".", INPUT_FAIL_ON=fail_on,
                     INPUT_ARGS=args, INPUT_SARIF="twelvecheck.sarif", INPUT_HTML="twelvecheck.html")
    return subprocess.run(["bash", "-c", audit_step()["run"]], cwd=workspace, env=env, capture_output=True,
                          text=True, timeout=300)


def test_action_passes_every_input_the_script_reads():
    read = set(re.findall(r"\$\{?(INPUT_[A-Z_]+)", (CHECKOUT / "ci" / "github-action.sh").read_text()))
    step = audit_step()
    assert read <= set(step["env"]), read - set(step["env"])
    inputs = action()["inputs"]
    for variable, expression in step["env"].items():
        name = re.fullmatch(r"\$\{\{ inputs\.([a-z-]+) \}\}", expression).group(1)
        assert name in inputs and variable == "INPUT_" + name.upper().replace("-", "_")
    assert action()["outputs"]["exit-code"]["value"] == "${{ steps.audit.outputs.exit-code }}"


def test_action_step_audits_annotates_and_writes_sarif_html_and_summary(tmp_path):
    workspace = checkout(tmp_path / "workspace")
    result = action_step(workspace)
    assert result.returncode == 1, result.stderr
    annotations = result.stdout.splitlines()
    assert annotations[0].startswith("::warning file=Dockerfile,line=1,")
    assert any(line.startswith("::warning file=compose.yaml,line=4,") for line in annotations)
    run = validate_sarif((workspace / "twelvecheck.sarif").read_text())["runs"][0]
    assert len(run["results"]) == len(annotations)
    assert run["properties"]["twelve-factor"]["factors"]["IX"]["status"] == "fail"
    assert 'class="score-value"' in (workspace / "twelvecheck.html").read_text()
    summary = (tmp_path / "runner-temp" / "summary.md").read_text()
    assert summary.startswith("### twelvecheck audit") and "Twelve-factor scorecard" in summary
    assert (tmp_path / "runner-temp" / "output").read_text() == "exit-code=1\n"


def test_action_inputs_fail_on_and_extra_args(tmp_path):
    workspace = checkout(tmp_path / "workspace")
    assert action_step(workspace, fail_on="error").returncode == 0
    selected = action_step(workspace, args="--select DC001  --ignore DF")
    assert selected.returncode == 1, selected.stderr
    assert [line.split(" ", 2)[1].split(",")[0] for line in selected.stdout.splitlines()] == ["file=compose.yaml"]
    unknown = action_step(workspace, args="--no-such-option")
    assert unknown.returncode == 2 and "no-such-option" in unknown.stderr
    assert (tmp_path / "runner-temp" / "output").read_text().endswith("exit-code=2\n")


def gitlab_job(workspace: Path, **variables: str) -> subprocess.CompletedProcess:
    job = yaml.safe_load((CHECKOUT / "ci" / "gitlab-twelvecheck.yml").read_text())["twelvecheck"]
    env = runner_env(GITLAB_CI="true", CI_PROJECT_DIR=str(workspace), **{**job["variables"], **variables})
    script = "\n".join(job["script"])  # before_script installs git and twelvecheck: both are here already
    return subprocess.run(["bash", "-eo", "pipefail", "-c", script], cwd=workspace, env=env,
                          capture_output=True, text=True, timeout=300)


def test_gitlab_job_audits_and_writes_its_artifacts(tmp_path):
    workspace = checkout(tmp_path)
    result = gitlab_job(workspace)
    assert result.returncode == 1, result.stderr
    assert "Twelve-factor scorecard" in result.stdout and "overall score:" in result.stdout
    job = yaml.safe_load((CHECKOUT / "ci" / "gitlab-twelvecheck.yml").read_text())["twelvecheck"]
    artifacts = job["artifacts"]
    for name in [*artifacts["paths"], *artifacts["reports"].values()]:
        assert (workspace / name).is_file(), name
    issues = json.loads((workspace / artifacts["reports"]["codequality"]).read_text())
    assert {issue["location"]["path"] for issue in issues} == {"Dockerfile", "compose.yaml"}
    validate_sarif((workspace / "twelvecheck.sarif").read_text())
    assert gitlab_job(workspace, TWELVECHECK_FAIL_ON="never").returncode == 0
    assert gitlab_job(workspace, TWELVECHECK_ARGS="--select DF001").returncode == 1
    selected = json.loads((workspace / artifacts["reports"]["codequality"]).read_text())
    assert [issue["check_name"] for issue in selected] == ["DF001 untagged-base-image"]
