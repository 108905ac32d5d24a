"""One small repository that gives an audit a finding of every kind reporters must place: a
Dockerfile, a finding located in the entrypoint script it runs, a compose file with one in its
override file, a .dockerignore, application source (semgrep), a committed .env (repository rule)
and a repository-level finding (file ``.``)."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path

from helpers import check_invariants, write_tree

from twelvecheck.config import Config
from twelvecheck.findings import Finding
from twelvecheck.parse.model import Span
from twelvecheck.repository_audit import audit
from twelvecheck.results import Report

TREE = {
    "Dockerfile": 'FROM python:3.12-slim\nCOPY docker-entrypoint.sh app.py /usr/local/bin/\n'
                  'USER nobody\nENTRYPOINT ["docker-entrypoint.sh"]\nCMD ["python", "/usr/local/bin/app.py"]\n',
    "docker-entrypoint.sh": '#!/bin/sh\n./wait-for-db\n"$@"\n',
    "compose.yaml": "services:\n  app:\n    image: example/app:1.4\n",
    "compose.override.yaml": "services:\n  app:\n    privileged: true\n",
    ".dockerignore": "node_modules\n",
    ".env": "A=1\n",
    "app.py": 'import logging\nlogging.basicConfig(filename="app.log", level=logging.INFO)\n',
}
CODES = ("DF208", "DC001", "DI001", "AP070", "RP002", "DF001", "TC")
EXPECTED_FILES = {  # where each rule's finding is located
    "DF208": "docker-entrypoint.sh", "DC001": "compose.override.yaml", "DI001": ".dockerignore",
    "AP070": "app.py", "RP002": ".env",
}


def audited_repository(root: Path, config: Config | None = None) -> Report:
    """Write the tree as a git checkout and audit it with the rules above."""
    write_tree(str(root), TREE)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "add", "-A", "-f"], check=True)
    report = audit(str(root), config or Config(select=CODES))
    check_invariants(report.findings)
    return report


# No built-in rule reports on the repository as a whole today (RP rules name the file at fault);
# a crash of a repository rule would (TC004), and a plugin's rule may: reporters must cope.
REPOSITORY_FINDING = Finding(Span(1, 1, 1, 1), "package.json at the root has no lockfile", hint="commit one",
                             rule="RP001", name="manifest-without-lockfile", severity="info",
                             factors=("II",), file=".")


def with_repository_finding(report: Report) -> Report:
    return replace(report, findings=[REPOSITORY_FINDING, *report.findings])
