"""The image rules' documented examples, executed: each is built (FROM scratch, COPY only, so no
sandbox is needed) and verified; the bad one must fire, the good one stay silent."""

from __future__ import annotations

import pytest

from helpers import write_tree
from twelvecheck.config import Config
from twelvecheck.rules.docs import example_files, examples
from twelvecheck.rules.registry import all_rules
from twelvecheck.verification import verify

# IM008 needs a base image of another platform: tests/test_verify.py builds one.
PROSE_IMAGE_EXAMPLES = {"IM008"}
# Run-time probes need verify --run and a busybox base: tests/build/test_run.py executes theirs.
IMAGE_EXAMPLES = [rule for rule in all_rules() if rule.kind == "image" and rule.code not in PROSE_IMAGE_EXAMPLES
                  and not getattr(rule, "run_time", False)]


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("image-examples-cache"))


def _verify_example(example, code, root, cache_dir):
    write_tree(str(root), example_files(example))
    report = verify(str(root), config=Config(select=(code,)), cache_dir=cache_dir)
    return [finding for finding in report.findings if finding.rule == code]


@pytest.mark.parametrize("rule", IMAGE_EXAMPLES, ids=lambda rule: rule.code)
def test_bad_example_fires_and_good_example_is_silent(rule, tmp_path, cache_dir):
    bad, good = examples(rule)
    assert bad and good
    for number, example in enumerate(bad):
        found = _verify_example(example, rule.code, tmp_path / f"bad{number}", cache_dir)
        assert found, f"{rule.code} did not fire on its bad example:\n{example.text}"
        for finding in found:
            assert finding.verification == "confirmed" and finding.evidence, finding
            assert finding.span.line >= 1
    for number, example in enumerate(good):
        found = _verify_example(example, rule.code, tmp_path / f"good{number}", cache_dir)
        assert not found, f"{rule.code} fired on its good example: {found}"
