from __future__ import annotations

from pathlib import Path

import pytest
from corpus_layout import rebuild_checkouts
from helpers import CORPUS


@pytest.fixture(scope="session")
def corpus_repositories(tmp_path_factory) -> dict[str, Path]:
    """Corpus repositories (corpus_layout.CORPUS_REPOSITORIES) rebuilt once per test session."""
    if not (CORPUS / "MANIFEST.tsv").is_file():
        pytest.skip(f"the shared corpus is not at {CORPUS}")
    return rebuild_checkouts(tmp_path_factory.mktemp("corpus"))
