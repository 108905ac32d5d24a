"""Attacks on the RUN sandbox, tried as a hostile Dockerfile would: each test checks that the host
side is untouched and that the build says clearly what stopped it.  They need root (CI runs them
as root) and skip with the reason otherwise.  Helpers are in sandbox_attacks.py."""

from __future__ import annotations

import os

import pytest

# the shared base fixture, and require_tool for the tests that import it from "conftest"
from tests.build.conftest import busybox_base, require_tool  # noqa: F401


@pytest.fixture(autouse=True)
def _needs_root():
    if os.geteuid() != 0:
        pytest.skip("the sandbox attacks are run as root (as CI does): that is where they matter")
