"""A fast slice of bench/fix_corpus.py: `--fix --unsafe-fixes` on the first repositories of the
shared corpus (a temporary copy), then the bench's checks."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from helpers import CORPUS

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

REPOSITORIES = 8


@pytest.mark.skipif(not (CORPUS / "MANIFEST.tsv").is_file(), reason="the shared corpus is not beside the checkout")
def test_fixing_corpus_files_keeps_them_parsing_stable_and_removes_the_fixable_findings(tmp_path):
    pytest.importorskip("dockerfile")
    from fix_corpus import run

    outcome = run(tmp_path, unsafe=True, limit=REPOSITORIES)
    assert outcome.changed > 0
    assert outcome.broken == [], "Dockerfiles BuildKit parsed before the fixes and not after"
    assert outcome.unstable == [], "a second run changed files again"
    assert outcome.grown == {}, "rules with more findings after the fixes"
    assert outcome.bad_shell == [], "RUN scripts the fixes left unreadable to bash -n"
    assert not outcome.refused
    # Every finding that offered a fix is gone (the rest have no mechanical repair).
    offered = sum(outcome.with_fix.values())
    gone, _ = outcome.gone()
    assert gone >= offered
