"""Which corpus repositories report tests audit, and how their layout is rebuilt (MANIFEST.tsv:
file, repo, path) as git checkouts in a temporary tree, so nothing from the corpus enters this
project."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

# Three shapes: many small compose projects, one large compose project with override files and
# many Dockerfiles, and one with a .dockerignore beside each Dockerfile and compose extensions.
CORPUS_REPOSITORIES = ("docker/awesome-compose", "open-telemetry/opentelemetry-demo", "deviantony/docker-elk")


def rebuild_checkouts(root: Path) -> dict[str, Path]:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from audit_corpus import rebuild

    repositories = rebuild(root)
    for name in CORPUS_REPOSITORIES:
        subprocess.run(["git", "init", "-q", str(repositories[name])], check=True)
        subprocess.run(["git", "-C", str(repositories[name]), "add", "-A", "-f"], check=True)
    return {name: repositories[name] for name in CORPUS_REPOSITORIES}
