"""Fixtures shared by the builder tests: real tools, skipped with a reason when missing."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
BUSYBOX_SCRIPT = SHARED / "tools" / "make-busybox-base.sh"


def require_tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (apt-get install {package})")
    return path


@pytest.fixture(scope="session")
def busybox_base(tmp_path_factory) -> Path:
    """A one-layer busybox OCI layout (tag 'latest') made by the shared script, independent of us."""
    if not BUSYBOX_SCRIPT.exists():
        pytest.skip(f"{BUSYBOX_SCRIPT} is absent")
    require_tool("umoci", "umoci")
    require_tool("skopeo", "skopeo")
    target = tmp_path_factory.mktemp("bases") / "busybox"
    subprocess.run([str(BUSYBOX_SCRIPT), "-q", "--no-install", str(target)], check=True)
    return target


@pytest.fixture(scope="session")
def dockerd(tmp_path_factory):
    """A private dockerd with BuildKit (buildkit.py), one per test session, stopped by its PID."""
    import os

    from buildkit import DOCKER, start_dockerd

    require_tool("dockerd", "docker.io")
    if not os.path.exists(DOCKER):
        pytest.skip("Debian's docker client is missing (apt-get install docker.io)")
    if os.geteuid() != 0:
        pytest.skip("dockerd needs root")
    root = tmp_path_factory.mktemp("dockerd")
    daemon = start_dockerd(root)
    if daemon is None:
        pytest.skip(f"dockerd did not start; see {root / 'dockerd.log'}")
    yield daemon
    daemon.stop()


@pytest.fixture
def real_tools_accept():
    """Checks a layout with umoci unpack (strict digests and sizes) and skopeo copy to dir: and
    docker-archive:, which read every blob."""
    require_tool("umoci", "umoci")
    require_tool("skopeo", "skopeo")
    return _validate


def _validate(layout: Path, tag: str, scratch: Path) -> None:
    for argv in (
        ["umoci", "unpack", "--image", f"{layout}:{tag}", str(scratch / "bundle")],
        ["skopeo", "copy", "-q", f"oci:{layout}:{tag}", f"dir:{scratch / 'dir'}"],
        ["skopeo", "copy", "-q", f"oci:{layout}:{tag}", f"docker-archive:{scratch / 'image.tar'}:localhost/t:{tag}"],
    ):
        result = subprocess.run(argv, capture_output=True, text=True)
        assert result.returncode == 0, f"{argv[0]} rejected the image: {result.stderr}"
