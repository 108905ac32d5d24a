"""Rule identity: unique codes, names and aliases; definitions checked at class creation."""

from __future__ import annotations

from collections import Counter

import pytest

from twelvecheck.rules.base import DockerfileRule, RuleDefinitionError
from twelvecheck.rules.registry import all_rules, find_rule


def test_codes_names_and_aliases_are_unique():
    rules = all_rules()
    for attribute in ("code", "name"):
        counts = Counter(getattr(rule, attribute) for rule in rules)
        assert not [k for k, n in counts.items() if n > 1], attribute
    aliases = Counter(alias for rule in rules for alias in rule.all_aliases())
    assert not [k for k, n in aliases.items() if n > 1]


def test_a_malformed_rule_is_refused_when_defined():
    with pytest.raises(RuleDefinitionError, match="kebab-case"):

        class Broken(DockerfileRule):
            """Doc."""

            code = "DF999"
            name = "Not_A_Slug"
            severity = "warning"


def test_rules_are_found_by_code_name_and_alias():
    rule = find_rule("DF003")
    assert rule is not None
    assert find_rule(rule.name) is rule
    assert find_rule("dl3002") is rule
    assert find_rule("no-such-rule") is None


def test_plugins_come_from_the_entry_point_group(tmp_path, monkeypatch):
    from twelvecheck.rules import registry

    dist = tmp_path / "acme_rules-1.0.dist-info"
    dist.mkdir()
    (dist / "entry_points.txt").write_text("[console_scripts]\nx = y:z\n\n[twelvecheck.rules]\nacme = acme_rules.policy:Rules\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert "acme_rules.policy" in registry._plugin_modules()
