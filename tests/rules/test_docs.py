"""Each rule's documentation: required sections, and its examples executed."""

from __future__ import annotations

import pytest

from helpers import lint_files
from twelvecheck.config import Config
from twelvecheck.rules.docs import docstring, examples, render_markdown
from twelvecheck.rules.registry import all_rules

RULES = all_rules()
# An example's language says what file it is: dockerfile -> Dockerfile, yaml -> compose.yaml.
FILE_NAMES = {"dockerfile": "Dockerfile", "yaml": "compose.yaml"}
EXECUTABLE = [
    rule for rule in RULES
    if examples(rule)[0] and all(e.language in FILE_NAMES for e in sum(examples(rule), []))
]


def _lint_example(example, config):
    return lint_files({FILE_NAMES[example.language]: example.text}, config)


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_documentation_has_the_fixed_sections(rule):
    doc = docstring(rule)
    for section in ("## What it does", "## Why is this bad?", "## Example", "Use instead:"):
        assert section in doc, f"{rule.code}: missing {section!r}"
    bad, good = examples(rule)
    assert bad and good, f"{rule.code}: needs a bad and a good example"
    assert render_markdown(rule).startswith(f"# {rule.code} {rule.name}")


@pytest.mark.parametrize("rule", EXECUTABLE, ids=lambda rule: rule.code)
def test_bad_example_fires_and_good_example_is_silent(rule):
    bad, good = examples(rule)
    config = Config(select=(rule.code,))
    for example in bad:
        found = [f for f in _lint_example(example, config) if f.rule == rule.code]
        assert found, f"{rule.code} did not fire on its bad example:\n{example.text}"
    for example in good:
        found = [f for f in _lint_example(example, config) if f.rule == rule.code]
        assert not found, f"{rule.code} fired on its good example: {found}"
