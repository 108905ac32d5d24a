"""DC029 judges build contexts against git's top level when the linted directory is inside a
checkout, and against the linted directory otherwise."""

from __future__ import annotations

import subprocess

from helpers import write_tree
from twelvecheck.config import Config
from twelvecheck.engine import lint

FILES = {
    "services/api/compose.yaml": "services:\n  api: {build: ../../shared}\n",
    "shared/Dockerfile": "FROM alpine:3.20\n",
}


def _dc029(root, linted):
    report = lint([str(linted)], Config(select=("DC029",)), root=str(linted))
    return [f for f in report.findings if f.rule == "DC029"]


def test_context_elsewhere_in_the_git_checkout_is_inside_the_repository(tmp_path):
    write_tree(str(tmp_path), FILES)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    assert _dc029(tmp_path, tmp_path / "services" / "api") == []


def test_without_git_the_linted_directory_is_the_repository(tmp_path):
    write_tree(str(tmp_path), FILES)
    found = _dc029(tmp_path, tmp_path / "services" / "api")
    assert len(found) == 1 and "outside the repository" in found[0].message
