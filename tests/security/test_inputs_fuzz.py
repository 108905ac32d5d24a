"""A few seconds of the mutation fuzzer (tests/security/fuzz.py) over the corpus: a fixed seed
(the same inputs every run) and a random one (new inputs each run, its seed printed on failure).
No input may end in an internal error or a rule crash (TC004). Longer runs: see fuzz.py."""

from __future__ import annotations

import random

import pytest

from security.fuzz import CORPUS, run

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside this checkout")


def _check(seconds: float, seed: int) -> None:
    outcome = run(seconds, seed)
    assert outcome.inputs > 0
    failures = [summary for _, summary, _ in outcome.internal_errors + outcome.crashes]
    assert not failures, f"seed {seed}: {failures[:5]} (python tests/security/fuzz.py --seed {seed} --save DIR)"


def test_fuzz_fixed_seed():
    _check(4.0, 20261206)


def test_fuzz_random_seed():
    _check(3.0, random.SystemRandom().randrange(2**32))
