"""Each rule's documentation: required sections, and its examples executed."""

from __future__ import annotations

import pytest

from helpers import lint_files
from twelvecheck.config import Config
from twelvecheck.rules.docs import EXAMPLE_FILE_NAMES, docstring, example_files, examples, render_markdown
from twelvecheck.rules.registry import all_rules

RULES = all_rules()
# An example's language says what file it is (dockerfile -> Dockerfile, yaml -> compose.yaml),
# or a ``files`` block names several files itself.
LINTED_LANGUAGES = {*EXAMPLE_FILE_NAMES, "files"}
EXECUTABLE = [
    rule for rule in RULES
    if rule.kind != "image" and examples(rule)[0] and all(e.language in LINTED_LANGUAGES for e in sum(examples(rule), []))
]
# Rules whose examples stay prose: an unreadable file, a crashing rule, semgrep missing, a link
# out of the tree (tested in tests/test_robustness.py, tests/rules/test_semgrep.py and
# tests/security/test_inputs_*.py).
PROSE_EXAMPLES = {"TC003", "TC004", "TC005", "TC006"}
SOURCE_SUFFIX = {"python": ".py", "javascript": ".js", "go": ".go", "java": ".java", "ruby": ".rb"}
SOURCE_EXAMPLES = [rule for rule in RULES if rule.kind == "source" and rule.code.startswith("AP")]


def _lint_example(rule, example, config):
    # Repository rules see tracked files, so their examples are audited in a git repository.
    return lint_files(example_files(example), config, audit=rule.kind == "repository")


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
    # Rules active only when configured (trusted registries, a label schema) name the
    # configuration their examples assume, as their docs say.
    config = Config(select=(rule.code,), **getattr(rule, "example_config", {}))
    for example in bad:
        found = [f for f in _lint_example(rule, example, config) if f.rule == rule.code]
        assert found, f"{rule.code} did not fire on its bad example:\n{example.text}"
    for example in good:
        found = [f for f in _lint_example(rule, example, config) if f.rule == rule.code]
        assert not found, f"{rule.code} fired on its good example: {found}"


def test_every_example_is_executed():
    """Only the prose-only meta rules may keep examples that no test runs."""
    from test_image_examples import IMAGE_EXAMPLES, PROSE_IMAGE_EXAMPLES

    source = {rule.code for rule in SOURCE_EXAMPLES}
    image = {rule.code for rule in IMAGE_EXAMPLES}
    image |= {rule.code for rule in RULES if getattr(rule, "run_time", False)}  # tests/build/test_run.py
    unexecuted = {rule.code for rule in RULES} - {rule.code for rule in EXECUTABLE} - source - image
    assert unexecuted == PROSE_EXAMPLES | PROSE_IMAGE_EXAMPLES


def test_files_example_parses_as_txtar():
    from twelvecheck.rules.docs import Example

    example = Example("files", "-- .dockerignore --\nnode_modules\n-- app/.env --\nTOKEN=abc\n-- empty --\n")
    assert example_files(example) == {".dockerignore": "node_modules\n", "app/.env": "TOKEN=abc\n", "empty": ""}
    assert example_files(Example("dockerfile", "FROM alpine:3.20\n")) == {"Dockerfile": "FROM alpine:3.20\n"}
    for broken in ("FROM alpine\n-- Dockerfile --\n", "-- a --\n-- a --\n", ""):
        with pytest.raises(ValueError):
            example_files(Example("files", broken))


@pytest.fixture(scope="module")
def source_example_findings(tmp_path_factory):
    """Every AP example as a file, all linted by one semgrep run: {(code, 'bad'|'good', index): codes}."""
    from twelvecheck.discover import Candidate
    from twelvecheck.rules.semgrep import lint_sources, semgrep_executable

    if semgrep_executable() is None:
        pytest.skip("semgrep is not installed: AP examples run through the semgrep adapter")
    root = tmp_path_factory.mktemp("examples")
    jobs = {}
    for rule in SOURCE_EXAMPLES:
        for verdict, blocks in zip(("bad", "good"), examples(rule)):
            for index, example in enumerate(blocks):
                path = root / f"{rule.code}-{verdict}-{index}{SOURCE_SUFFIX[example.language]}"
                path.write_text(example.text, encoding="utf-8")
                jobs[path.name] = (rule.code, verdict, index)
    findings, _, _ = lint_sources([(Candidate(str(root / name), "source"), name) for name in jobs], Config(select=("AP",)))
    found = {key: set() for key in jobs.values()}
    for finding in findings:
        found[jobs[finding.file]].add(finding.rule)
    return found


@pytest.mark.parametrize("rule", SOURCE_EXAMPLES, ids=lambda rule: rule.code)
def test_source_examples_fire_and_stay_silent_through_semgrep(rule, source_example_findings):
    bad, good = examples(rule)
    assert all(example.language in SOURCE_SUFFIX for example in bad + good)
    for index, example in enumerate(bad):
        assert rule.code in source_example_findings[(rule.code, "bad", index)], f"{rule.code} missed:\n{example.text}"
    for index, example in enumerate(good):
        assert rule.code not in source_example_findings[(rule.code, "good", index)], f"{rule.code} fired on:\n{example.text}"


def test_generated_documentation_is_up_to_date():
    from pathlib import Path

    from twelvecheck.rules.docs import generated_files

    root = Path(__file__).resolve().parents[2]
    stale = [relative for relative, content in generated_files(RULES, (root / "README.md").read_text()).items()
             if not (root / relative).is_file() or (root / relative).read_text() != content]
    assert not stale, f"run `python -m twelvecheck.rules.docs` to regenerate: {stale[:10]}"
    documented = {path.stem for path in (root / "docs" / "rules").glob("*.md")}
    assert documented == {rule.code for rule in RULES}


def test_docstrings_keep_backslash_continuations():
    """A backslash-newline in a plain docstring is a Python line continuation: the example
    would lose it (``twelvecheck rule DL3008`` printed one joined line). Such docstrings are raw."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "twelvecheck" / "rules"
    joined = [str(path.relative_to(root)) for path in root.rglob("*.py")
              for match in re.finditer(r'\n    (r?)"""(.*?)"""', path.read_text(encoding="utf-8"), re.S)
              if not match.group(1) and "\\\n" in match.group(2)]
    assert not joined, joined
    rendered = [rule.code for rule in RULES if "\\\n" in (rule.__doc__ or "")]
    assert "SH006" in rendered  # DL3008's examples keep their continuation lines
