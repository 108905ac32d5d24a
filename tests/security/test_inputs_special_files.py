"""FIFOs, devices and unbounded files where a Dockerfile, compose file, .dockerignore, .gitignore
or env file is expected: a finding (or nothing read), never a hang or a memory blow-up.

Each lint runs in a subprocess with a timeout, so a regression fails instead of hanging the suite.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import pytest

from security.inputs_support import repo

TIMEOUT = 60


def lint_json(root, *args: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "twelvecheck", "lint", "--format", "json", "--fail-on", "never",
                           "--ignore", "SH100", *args], cwd=root, capture_output=True, text=True, timeout=TIMEOUT)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def rules_at(report: dict) -> set[tuple[str, str]]:
    return {(finding["rule"], finding["file"]) for finding in report["findings"]}


def message(report: dict, rule: str, file: str) -> str:
    return next(f["message"] for f in report["findings"] if f["rule"] == rule and f["file"] == file)


@pytest.mark.parametrize("name", ["Dockerfile", "compose.yaml", ".dockerignore"])
def test_fifo_named_like_an_input_is_reported_not_opened(tmp_path, name):
    root = repo(tmp_path)
    os.mkfifo(root / name)
    report = lint_json(root)
    assert ("TC003", name) in rules_at(report)
    assert "FIFO" in message(report, "TC003", name)


def test_fifo_as_an_explicit_argument(tmp_path):
    root = repo(tmp_path)
    os.mkfifo(root / "Dockerfile")
    assert "FIFO" in message(lint_json(root, "Dockerfile"), "TC003", "Dockerfile")


def test_fifo_dockerignore_beside_a_dockerfile_does_not_hang_its_rules(tmp_path):
    root = repo(tmp_path)
    (root / "Dockerfile").write_text("FROM alpine:3.20\nCOPY . /app\nUSER 1000\n")
    os.mkfifo(root / ".dockerignore")
    assert ("TC003", ".dockerignore") in rules_at(lint_json(root))


def test_fifo_gitignore_does_not_hang_the_walk(tmp_path):
    root = repo(tmp_path)
    (root / "Dockerfile").write_text("FROM alpine:3.20\nUSER 1000\n")
    os.mkfifo(root / ".gitignore")
    assert lint_json(root)["summary"]["files"] == 1


def test_character_device_named_dockerfile(tmp_path):
    root = repo(tmp_path)
    try:
        os.mknod(root / "Dockerfile", stat.S_IFCHR | 0o666, os.makedev(1, 5))  # what /dev/zero is
    except PermissionError:
        pytest.skip("creating a device node needs root")
    assert "character device" in message(lint_json(root), "TC003", "Dockerfile")


def test_dockerfile_linked_to_dev_zero(tmp_path):
    root = repo(tmp_path)
    (root / "Dockerfile").symlink_to("/dev/zero")
    assert ("TC006", "Dockerfile") in rules_at(lint_json(root))


@pytest.mark.parametrize("reference", [
    "services:\n  app:\n    image: alpine:3.20\n    env_file: /dev/zero\n",
    "include:\n  - /dev/zero\nservices:\n  app:\n    image: alpine:3.20\n",
    "services:\n  app:\n    image: alpine:3.20\n    extends:\n      file: /dev/zero\n      service: x\n",
])
def test_compose_reference_to_dev_zero_is_refused_without_reading(tmp_path, reference):
    root = repo(tmp_path)
    (root / "compose.yaml").write_text(reference)
    report = lint_json(root)
    assert ("TC006", "compose.yaml") in rules_at(report)


def test_dotenv_linked_to_dev_zero_is_not_read(tmp_path):
    root = repo(tmp_path)
    (root / "compose.yaml").write_text("services:\n  app:\n    image: alpine:3.20\n")
    (root / ".env").symlink_to("/dev/zero")
    report = lint_json(root)  # would read gigabytes (MemoryError) before
    assert report["summary"]["files"] == 1


def test_fifo_env_file_inside_the_tree(tmp_path):
    root = repo(tmp_path)
    (root / "compose.yaml").write_text("services:\n  app:\n    image: alpine:3.20\n    env_file: app.env\n")
    os.mkfifo(root / "app.env")
    lint_json(root)  # returns: the FIFO is never opened
