"""The pre-commit hook, through the real pre-commit tool: a commit with a bad Dockerfile, compose
file or .dockerignore is refused with the findings shown, a good one passes.

pre-commit installs a hook repository by cloning it at a commit and pip-installing it, so the
test first snapshots this checkout as it is now (uncommitted and untracked files included) into
a throwaway repository, then points a project's ``.pre-commit-config.yaml`` at that commit.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parents[1]
BAD = "FROM alpine\nCMD sh\n"
GOOD = 'FROM alpine:3.20\nUSER nobody\nCMD ["sh"]\n'
BAD_COMPOSE = "services:\n  app:\n    build: .\n    privileged: true\n"
GOOD_COMPOSE = "services:\n  app:\n    build: .\n"
# .env is in the build context (it exists, committed or not) and the bad .dockerignore lets it in.
BAD_DOCKERIGNORE, GOOD_DOCKERIGNORE = ".git\nnode_modules\n", ".git\nnode_modules\n.env\n"
# pip failing to reach an index looks like this; anything else is a real failure of the hook.
OFFLINE = ("NewConnectionError", "Temporary failure in name resolution", "No matching distribution",
           "Could not find a version")

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(cwd: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=300)


def snapshot(destination: Path, env: dict) -> str:
    """Commit the checkout's current files (tracked and untracked, not ignored) in a new repository."""
    listed = git(CHECKOUT, "ls-files", "-z", "--cached", "--others", "--exclude-standard").stdout
    for name in filter(None, listed.split("\0")):
        source = CHECKOUT / name
        if source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    git(destination, "init", "-q", env=env)
    git(destination, "add", "-A", env=env)
    git(destination, "commit", "-q", "-m", "snapshot", env=env)
    return git(destination, "rev-parse", "HEAD", env=env).stdout.strip()


def test_commit_with_bad_dockerfile_is_refused_and_good_one_passes(tmp_path):
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.invalid", "GIT_CONFIG_GLOBAL": os.devnull}
    env.pop("GITHUB_ACTIONS", None)
    hook_repo, project = tmp_path / "hook", tmp_path / "project"
    hook_repo.mkdir()
    project.mkdir()
    revision = snapshot(hook_repo, env)
    (project / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {hook_repo}\n  rev: {revision}\n  hooks:\n  - id: twelvecheck\n")
    (project / "README.md").write_text("not linted\n")
    (project / "settings.yaml").write_text("privileged: true\n")  # YAML that is not a compose file
    (project / ".env").write_text("A=1\n")
    git(project, "init", "-q", env=env)
    installed = subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=project, env=env,
                               capture_output=True, text=True, timeout=300)
    assert installed.returncode == 0, installed.stdout + installed.stderr

    (project / "Dockerfile").write_text(BAD)
    (project / "compose.yaml").write_text(BAD_COMPOSE)
    (project / ".dockerignore").write_text(BAD_DOCKERIGNORE)
    git(project, "add", "Dockerfile", "compose.yaml", ".dockerignore", "README.md", "settings.yaml",
        ".pre-commit-config.yaml", env=env)
    refused = git(project, "commit", "-m", "bad", env=env)
    output = refused.stdout + refused.stderr
    if refused.returncode != 0 and any(sign in output for sign in OFFLINE):
        pytest.skip(f"pre-commit could not pip-install the hook (no package index?): {output[-500:]}")
    assert refused.returncode != 0, output
    assert "twelvecheck" in output and "Failed" in output
    assert "Dockerfile:1:1 DF001 warning" in output and "Dockerfile:2:1 DF004 warning" in output
    assert "compose.yaml:4:17 DC001 warning" in output
    assert ".dockerignore:1:1 DI001 warning" in output
    assert "settings.yaml" not in output and "README.md" not in output
    assert git(project, "rev-parse", "--verify", "HEAD", env=env).returncode != 0  # nothing committed

    (project / "Dockerfile").write_text(GOOD)
    (project / "compose.yaml").write_text(GOOD_COMPOSE)
    (project / ".dockerignore").write_text(GOOD_DOCKERIGNORE)
    git(project, "add", "Dockerfile", "compose.yaml", ".dockerignore", env=env)
    accepted = git(project, "commit", "-m", "good", env=env)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert "Passed" in accepted.stdout + accepted.stderr
