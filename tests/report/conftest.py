"""Corpus repositories for report tests: rebuilt at test time in a temporary tree (MANIFEST.tsv:
file, repo, path) as git checkouts, so nothing from the corpus enters this project."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from helpers import CORPUS

# Three shapes: many small compose projects, one large compose project with override files and
# many Dockerfiles, and one with a .dockerignore beside each Dockerfile and compose extensions.
CORPUS_REPOSITORIES = ("docker/awesome-compose", "open-telemetry/opentelemetry-demo", "deviantony/docker-elk")


@pytest.fixture(scope="session")
def corpus_repositories(tmp_path_factory) -> dict[str, Path]:
    if not (CORPUS / "MANIFEST.tsv").is_file():
        pytest.skip(f"the shared corpus is not at {CORPUS}")
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from audit_corpus import rebuild

    repositories = rebuild(tmp_path_factory.mktemp("corpus"))
    for name in CORPUS_REPOSITORIES:
        subprocess.run(["git", "init", "-q", str(repositories[name])], check=True)
        subprocess.run(["git", "-C", str(repositories[name]), "add", "-A", "-f"], check=True)
    return {name: repositories[name] for name in CORPUS_REPOSITORIES}
