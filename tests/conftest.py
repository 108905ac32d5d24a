import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(scope="session")
def debian_base() -> Path:
    """A one-layer Debian bookworm OCI layout (tag 'latest'; ``mmdebstrap --variant=apt``), made
    once and cached across runs (tests/debian_base.py); skipped when mmdebstrap or the network is
    missing.  Use it as ``bases={"debian:bookworm": f"oci:{debian_base}:latest"}``."""
    import debian_base as maker

    try:
        return maker.make_debian_base()
    except maker.Unavailable as reason:
        pytest.skip(str(reason))
