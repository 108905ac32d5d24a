"""Cost of the application-source checks: lint wall time of the sample apps (tests/apps, with a
Dockerfile per app) without them, with them on a cold cache (one semgrep run), and again on the
unchanged tree (cache hit: no semgrep process).  Run: ``python bench/app_source.py``."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from twelvecheck.config import Config  # noqa: E402
from twelvecheck.engine import lint  # noqa: E402
from twelvecheck.rules import semgrep  # noqa: E402

DOCKERFILE = "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nUSER 1000\nCMD [\"python\", \"app.py\"]\n"


def sample_repository(directory: Path) -> tuple[list[str], list[str]]:
    shutil.copytree(ROOT / "tests" / "apps", directory, ignore=shutil.ignore_patterns("test_*.py", "__pycache__"))
    sources = sorted(str(p) for p in directory.rglob("*") if p.suffix in {".py", ".js", ".go", ".java"})
    dockerfiles = []
    for app in sorted({Path(p).parents[0] for p in sources}):
        (app / "Dockerfile").write_text(DOCKERFILE)
        dockerfiles.append(str(app / "Dockerfile"))
    return dockerfiles, sources


def timed(paths: list[str], root: Path) -> tuple[float, int]:
    started = time.perf_counter()
    report = lint(paths, Config(), root=str(root))
    return time.perf_counter() - started, len(report.findings)


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        os.environ["XDG_CACHE_HOME"] = os.path.join(scratch, "cache")  # a cold cache for the first run
        root = Path(scratch) / "repo"
        dockerfiles, sources = sample_repository(root)
        runs = []
        original = semgrep.semgrep_executable
        semgrep.semgrep_executable = lambda: runs.append(1) or original()  # counts semgrep starts
        without, n_without = timed(dockerfiles, root)
        cold, n_cold = timed(dockerfiles + sources, root)
        cold_runs = len(runs)
        cached, n_cached = timed(dockerfiles + sources, root)
        print(f"sample repository: {len(dockerfiles)} Dockerfiles, {len(sources)} application files")
        print(f"without app-source checks : {without:7.3f} s  {n_without:3d} findings")
        print(f"with, cold cache          : {cold:7.3f} s  {n_cold:3d} findings  semgrep processes: {cold_runs}")
        print(f"with, unchanged tree      : {cached:7.3f} s  {n_cached:3d} findings  semgrep processes: {len(runs) - cold_runs}")


if __name__ == "__main__":
    main()
