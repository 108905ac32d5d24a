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


def _lint_example(example, config, extra_files):
    return lint_files({FILE_NAMES[example.language]: example.text, **extra_files}, config)


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
    # Rules active only when configured (trusted registries, a label schema) or that read files
    # beside the Dockerfile (.dockerignore) name what their examples assume, as their docs say.
    config = Config(select=(rule.code,), **getattr(rule, "example_config", {}))
    extra = getattr(rule, "example_files", {})
    for example in bad:
        found = [f for f in _lint_example(example, config, extra) if f.rule == rule.code]
        assert found, f"{rule.code} did not fire on its bad example:\n{example.text}"
    for example in good:
        found = [f for f in _lint_example(example, config, extra) if f.rule == rule.code]
        assert not found, f"{rule.code} fired on its good example: {found}"


def test_generated_documentation_is_up_to_date():
    from pathlib import Path

    from twelvecheck.rules.docs import generated_files

    root = Path(__file__).resolve().parents[2]
    stale = [relative for relative, content in generated_files(RULES, (root / "README.md").read_text()).items()
             if not (root / relative).is_file() or (root / relative).read_text() != content]
    assert not stale, f"run `python -m twelvecheck.rules.docs` to regenerate: {stale[:10]}"
    documented = {path.stem for path in (root / "docs" / "rules").glob("*.md")}
    assert documented == {rule.code for rule in RULES}
