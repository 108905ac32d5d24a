"""The fixer: line ends, byte-order marks and final newlines kept, rounds until stable, results
that parse (ours and BuildKit's), the CLI's --fix / --diff / --fix-only / --unsafe-fixes, and
what `rules` says about fixes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from twelvecheck.cli import main
from twelvecheck.config import Config
from twelvecheck.findings import Edit, Finding, Fix
from twelvecheck.fix import Fixer, _parse_problem, apply_fixes
from twelvecheck.parse.model import Span
from twelvecheck.rules.docs import section
from twelvecheck.rules.registry import all_rules

CASES = Path(__file__).parent / "rules" / "cases"
FIXABLE = [rule for rule in all_rules() if rule.fixable]
TEXT = "FROM debian:12\nRUN apt-get update && apt-get install curl\nrun echo done\n"


def _fixed(text: str, unsafe: bool = False, only=None, name: str = "Dockerfile") -> str:
    fixer = Fixer(Config(select=("all",)), unsafe=unsafe, only=only)
    return fixer.fix_text("dockerfile", name, name, text).fixed


def _fix_cases():
    for path in sorted(CASES.glob("*.yml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            if "fix" in case and case.get("file", "Dockerfile") == "Dockerfile":
                yield pytest.param(case, id=f"{path.stem}-{case['name']}")


def test_every_fixable_rule_has_a_fix_case_and_documents_its_safety():
    with_cases = {path.stem for path in CASES.glob("*.yml")
                  if any("fix" in case for case in yaml.safe_load(path.read_text(encoding="utf-8")))}
    assert {rule.code for rule in FIXABLE} - with_cases == set()
    for rule in FIXABLE:
        assert section(rule, "Fix safety"), f"{rule.code} has no '## Fix safety' section"
        assert section(rule, "Fix safety").lower().startswith(("safe", "unsafe")) or rule.fix_safety == "unsafe"


@pytest.mark.parametrize("case", list(_fix_cases()))
def test_fixing_a_case_with_every_rule_is_stable_and_parses_with_buildkit(case):
    """Every rule's fixes together, unsafe ones too: BuildKit reads the result, and a second run
    changes nothing."""
    dockerfile = pytest.importorskip("dockerfile")
    once = _fixed(case["fail"], unsafe=True)
    dockerfile.parse_string(once)
    assert _fixed(once, unsafe=True) == once


def test_crlf_bom_and_missing_final_newline_are_kept():
    plain = _fixed(TEXT)
    assert plain != TEXT and "apt-get install -y curl" in plain and "RUN echo done" in plain
    windows = "\ufeff" + TEXT.replace("\n", "\r\n").rstrip("\r\n")
    fixed = _fixed(windows)
    assert fixed == "\ufeff" + plain.replace("\n", "\r\n").rstrip("\r\n")


def test_a_fix_adding_lines_uses_the_files_line_ends():
    text = "FROM debian:12-slim\r\nRUN curl -fsSL https://example.com/a.tgz | tar -xz\r\n"
    fixed = _fixed(text, unsafe=True, only={"SH032"})
    assert fixed == ('FROM debian:12-slim\r\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\r\n'
                     "RUN curl -fsSL https://example.com/a.tgz | tar -xz\r\n")


def test_unsafe_fixes_wait_for_unsafe_and_fix_only_limits_the_rules():
    text = "FROM debian:12\nRUN apt-get update && apt-get install curl && rm -rf /var/lib/apt/lists/*\n"
    safe = _fixed(text)
    assert "install -y curl" in safe and "--no-install-recommends" not in safe  # SH002 is unsafe
    assert "--no-install-recommends" in _fixed(text, unsafe=True)
    assert _fixed(TEXT, only={"DF036"}) == TEXT.replace("run echo", "RUN echo")


def test_overlapping_fixes_wait_for_the_next_round_and_identical_edits_apply_once():
    span = Span(1, 1, 1, 5)
    one = Finding(span, "a", fix=Fix("a", (Edit(span, "from"),)), rule="X")
    same = Finding(span, "b", fix=Fix("b", (Edit(span, "from"),)), rule="Y")
    other = Finding(span, "c", fix=Fix("c", (Edit(Span(1, 3, 1, 6), "xx"),)), rule="Z")
    assert apply_fixes("FROM x\n", [one, same, other]) == ("from x\n", 2)


def test_a_result_that_does_not_parse_is_refused():
    assert _parse_problem("dockerfile", "FROM a\n", "FROM a\nRUN <<EOF\n") is not None
    assert _parse_problem("compose", "a: 1\n", "a: [\n") is not None
    assert _parse_problem("dockerfile", "FROM a\n", "FROM b\n") is None


def test_cli_diff_prints_writes_nothing_and_exits_1(tmp_path):
    path = tmp_path / "Dockerfile"
    path.write_text(TEXT)
    result = CliRunner().invoke(main, ["lint", "--diff", str(path)])
    assert result.exit_code == 1
    assert "\n-RUN apt-get update && apt-get install curl\n" in result.stdout
    assert "\n+RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n" in result.stdout
    assert path.read_text() == TEXT
    path.write_text(_fixed(TEXT))
    assert CliRunner().invoke(main, ["lint", "--diff", "--fix-only", "SH001,DF036", str(path)]).exit_code == 0


def test_cli_fix_writes_and_reports_what_remains(tmp_path):
    path = tmp_path / "Dockerfile"
    path.write_text(TEXT)
    result = CliRunner().invoke(main, ["lint", "--fix", "--format", "json", str(path)])
    assert path.read_text() == _fixed(TEXT)
    rules = {finding["rule"] for finding in json.loads(result.stdout)["findings"]}
    assert not rules & {"SH001", "SH003", "DF036"} and "SH002" in rules  # the unsafe fix was not applied
    assert "applied 3 fixes in 1 file" in result.stderr


def test_compose_fix_keeps_comments_and_anchors(tmp_path):
    path = tmp_path / "compose.yaml"
    text = ("version: '3'\nx-base: &base\n  image: example/api:3.2  # pinned\nservices:\n"
            "  api:\n    <<: *base\n    depends_on:\n      - db  # the database\n"
            "  db:\n    image: postgres:16.4\n    healthcheck: {test: [CMD, pg_isready]}\n")
    path.write_text(text)
    CliRunner().invoke(main, ["lint", "--unsafe-fixes", str(path)])
    assert path.read_text() == text.replace("version: '3'\n", "").replace(
        "- db  # the database", "db: {condition: service_healthy}  # the database")


def test_rules_json_and_rule_say_whether_and_how_safely_a_rule_fixes():
    listed = {r["code"]: r for r in json.loads(CliRunner().invoke(main, ["rules", "--format", "json"]).output)}
    assert (listed["SH001"]["fixable"], listed["SH001"]["fix_safety"]) == (True, "safe")
    assert (listed["SH002"]["fixable"], listed["SH002"]["fix_safety"]) == (True, "unsafe")
    assert (listed["DF002"]["fixable"], listed["DF002"]["fix_safety"]) == (False, None)
    assert "- Fix: unsafe (applied with --unsafe-fixes" in CliRunner().invoke(main, ["rule", "SH035"]).output


def test_pre_commit_offers_a_fixing_hook():
    hooks = {hook["id"]: hook for hook in yaml.safe_load((Path(__file__).parents[1] / ".pre-commit-hooks.yaml").read_text())}
    assert hooks["twelvecheck-fix"]["entry"] == "twelvecheck lint --fix"
    assert hooks["twelvecheck-fix"]["files"] == hooks["twelvecheck"]["files"]


def test_apt_lists_are_never_removed_before_a_later_install_of_the_stage_that_needs_them():
    """The repair tools' broken builds: the lists deleted, then `apt-get install` in a later RUN
    with no `update` of its own. No fix then; with its own update, the later RUN is fine."""
    later_install = "FROM debian:12\nRUN apt-get update && apt-get install -y a\nRUN apt-get install -y b\n"
    assert "rm -rf /var/lib/apt/lists" not in _fixed(later_install, only={"SH003"})
    child_stage = ("FROM debian:12 AS base\nRUN apt-get update && apt-get install -y a\n"
                   "FROM base\nRUN apt-get install -y b\n")
    assert "rm -rf /var/lib/apt/lists" not in _fixed(child_stage, only={"SH003"})
    script = "FROM debian:12\nRUN apt-get update && apt-get install -y a\nRUN ./install-more.sh\n"
    assert "rm -rf /var/lib/apt/lists" not in _fixed(script, only={"SH003"})
    own_update = "FROM debian:12\nRUN apt-get update && apt-get install -y a\nRUN apt-get update && apt-get install -y b\n"
    assert _fixed(own_update, only={"SH003"}).count("&& rm -rf /var/lib/apt/lists/*") == 2


def test_override_files_are_fixed_with_their_project(tmp_path):
    """An override file's findings need the merged project (the healthcheck is in the base
    file); its fixes land in the override file."""
    base = "services:\n  db:\n    image: postgres:16.4\n    healthcheck: {test: [CMD, pg_isready]}\n"
    override = "version: '3.8'\nservices:\n  api:\n    image: example/api:3.2\n    depends_on: [db]\n"
    (tmp_path / "compose.yaml").write_text(base)
    (tmp_path / "compose.override.yaml").write_text(override)
    CliRunner().invoke(main, ["lint", "--unsafe-fixes", str(tmp_path)])
    assert (tmp_path / "compose.yaml").read_text() == base
    assert (tmp_path / "compose.override.yaml").read_text() == (
        "services:\n  api:\n    image: example/api:3.2\n    depends_on: {db: {condition: service_healthy}}\n")
