"""Helpers of the sandbox attack tests: a context, a build that must fail, a CLI build."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.build.conftest import require_tool  # noqa: F401 - re-exported for the tests
from tests.helpers import default_sigint
from twelvecheck.build.builder import BuildError, build

ROOT = Path(__file__).resolve().parents[2]
RUNTIMES = [("bwrap", "bubblewrap"), ("runc", "runc")]


def write_context(directory: Path, dockerfile: str, files: dict[str, str] = {}) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "Dockerfile").write_text(textwrap.dedent(dockerfile))
    for name, text in files.items():
        (directory / name).write_text(text)
    return directory


def build_failure(context: Path, busybox_base: Path, cache: Path, **options) -> tuple[str, list[str]]:
    """Build ``context``, which must fail; the error message and the progress lines."""
    lines: list[str] = []
    with pytest.raises(BuildError) as caught:
        build(str(context), bases={"busybox": f"oci:{busybox_base}:latest"}, cache_dir=str(cache),
              progress=lines.append, no_cache=True, **options)
    return str(caught.value), lines


def build_ok(context: Path, busybox_base: Path, cache: Path, **options) -> list[str]:
    lines: list[str] = []
    build(str(context), bases={"busybox": f"oci:{busybox_base}:latest"}, cache_dir=str(cache),
          progress=lines.append, no_cache=True, **options)
    return lines


def cli_build(context: Path, busybox_base: Path, tmp: Path, *args: str, env: dict[str, str] = {}) -> subprocess.Popen:
    """``twelvecheck build`` as its own process, with its temporary files in ``tmp``."""
    tmp.mkdir(exist_ok=True)
    environment = {**os.environ, "TMPDIR": str(tmp), **env}
    return subprocess.Popen([sys.executable, "-m", "twelvecheck", "build", str(context),
                             "--base", f"busybox=oci:{busybox_base}:latest", "--cache-dir", str(tmp.parent / "cache"),
                             "--no-cache", *args], cwd=ROOT, env=environment, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, preexec_fn=default_sigint)
