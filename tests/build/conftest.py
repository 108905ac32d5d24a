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
