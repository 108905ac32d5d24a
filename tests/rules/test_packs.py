"""Declarative rule packs: the format, an organisation's pack through the CLI, the cache that
keeps YAML off the pre-commit path. (The shipped packs' examples run in test_docs.py, their
cases in test_cases.py, like every rule's.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from helpers import lint_files, run, validate_sarif, write
from twelvecheck.config import Config, ConfigError, RuleSettings, load_config
from twelvecheck.engine import Engine, lint
from twelvecheck.rules.packs import _cache
from twelvecheck.rules.packs._factory import read_specs

POLICY = textwrap.dedent('''\
    pack: acme-policy
    rules:
      - code: DF900
        name: apt-install-without-yes-flag
        severity: error
        factors: [V]
        aliases: {hadolint: [DL9999]}
        message: "{command} {value} asks before installing"
        hint: add -y
        match:
          dockerfile:
            stage: final
            command: {name: apt-get, subcommand: install, option_absent: ["yes"]}
        docs: |
          apt-get install that waits for an answer.

          ## What it does
          Flags apt-get install without -y in the final image.

          ## Why is this bad?
          The build hangs.

          ## Example
          ```dockerfile
          FROM debian:12
          RUN apt-get install curl
          ```

          Use instead:
          ```dockerfile
          FROM debian:12
          RUN apt-get install -y curl
          ```
      - code: DC900
        name: service-without-owner-label
        severity: warning
        message: "{path} is missing"
        match:
          compose: {path: services.*.labels.owner, when: absent}
        docs: |
          A service without an owner.

          ## What it does
          Flags services without an owner label.

          ## Why is this bad?
          Nobody answers the pager.

          ## Example
          ```yaml
          services:
            web: {image: nginx:1.27, labels: {tier: front}}
          ```

          Use instead:
          ```yaml
          services:
            web: {image: nginx:1.27, labels: {owner: shop-team}}
          ```
    ''')


@pytest.fixture
def project(tmp_path):
    write(tmp_path / "policy" / "acme.yaml", POLICY)
    write(tmp_path / ".twelvecheck.yaml", "packs: [policy/acme.yaml]\nselect: [DF900, DC900]\n")
    write(tmp_path / "Dockerfile", "FROM debian:12 AS build\nRUN apt-get install make\n"
                                   "FROM debian:12\n# twelvecheck ignore=DF900\nRUN apt-get install curl\n"
                                   "RUN sudo apt-get --quiet install git\n")
    write(tmp_path / "compose.yaml", "services:\n  web:\n    image: nginx:1.27\n    labels: {owner: shop}\n"
                                     "  worker:\n    image: busybox:1.36\n")
    return tmp_path


def test_an_organisation_pack_runs_through_the_cli(project):
    done = run("lint", "--format", "json", ".", cwd=project)
    assert done.returncode == 1, done.stderr
    found = [(f["rule"], f["file"], f["line"], f["message"]) for f in json.loads(done.stdout)["findings"]]
    # the build stage's RUN is out of scope (stage: final); line 5 is suppressed by its pragma
    assert found == [("DF900", "Dockerfile", 6, "apt-get apt-get --quiet install git asks before installing"),
                     ("DC900", "compose.yaml", 5, "services.worker.labels.owner is missing")]
    finding = json.loads(done.stdout)["findings"][0]
    assert finding["severity"] == "error" and finding["factors"] == ["V"] and finding["aliases"] == ["DL9999"]
    assert finding["hint"] == "add -y"


def test_pack_rules_have_documentation_and_sarif_help(project):
    shown = run("rule", "DL9999", cwd=project)
    assert shown.returncode == 0 and shown.stdout.startswith("# DF900 apt-install-without-yes-flag")
    listed = run("rules", "--format", "json", cwd=project)
    assert {"DF900", "DC900", "DF300"} <= {rule["code"] for rule in json.loads(listed.stdout)}
    sarif = validate_sarif(run("lint", "--format", "sarif", ".", cwd=project).stdout)
    rules = {rule["id"]: rule for rule in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert "The build hangs." in rules["DF900"]["help"]["markdown"]


def test_pack_rules_do_not_leak_into_a_run_without_the_configuration(project):
    load = load_config(cwd=project, environ={})
    assert "df900" in Engine(load).known_keys
    assert "df900" not in Engine(Config()).known_keys


def _lint(directory: Path, dockerfile: str, config: Config) -> list:
    """Lint one Dockerfile with a configured pack (``helpers.lint_files`` knows only built-in codes)."""
    write(directory / "Dockerfile", dockerfile)
    return lint([str(directory / "Dockerfile")], config, root=str(directory)).findings


def test_typed_options_and_raw_words_both_match(tmp_path):
    """apt-get is read by its parser (-y, --yes, --assume-yes are one option); ``mytool`` has
    no parser, so its raw words are read (``-qv`` bundles, ``--force=1``)."""
    write(tmp_path / "p.yaml", POLICY)
    config = Config(select=("DF900",), packs=(str(tmp_path / "p.yaml"),))
    for line, fires in (("apt-get install --assume-yes curl", False), ("apt-get -qy install curl", False),
                        ("apt-get install curl", True), ("apt-get update", False)):
        found = _lint(tmp_path, f"FROM debian:12\nRUN {line}\n", config)
        assert bool(found) is fires, line
    raw = POLICY.replace('{name: apt-get, subcommand: install, option_absent: ["yes"]}',
                         "{name: mytool, subcommand: deploy, option_present: [v, force]}")
    write(tmp_path / "raw.yaml", raw)
    config = Config(select=("DF900",), packs=(str(tmp_path / "raw.yaml"),))
    assert _lint(tmp_path, "FROM debian:12\nRUN mytool -qv deploy --force=1\n", config)
    assert not _lint(tmp_path, "FROM debian:12\nRUN mytool -q deploy --force=1\n", config)


def test_a_pack_option_is_set_in_the_configuration():
    compose = "services:\n  cache:\n    image: registry.example.net/mirror/redis:7\n  db:\n    image: postgres:16\n"
    config = Config(select=("DC300",), rules={"DC300": RuleSettings(options={"allowed_registries": ["registry.example.net"]})})
    assert [f.span.line for f in lint_files({"compose.yaml": compose}, config)] == [5]


INVALID = {
    "no rules": ("pack: x\n", "rules: must be a non-empty list"),
    "unknown rule key": (POLICY.replace("    severity: error\n", "    severity: error\n    sevrity: error\n", 1),
                         "rule DF900: the rule: unknown key(s) sevrity"),
    "bad severity": (POLICY.replace("severity: error", "severity: fatal"), "rule DF900: severity: must be one of"),
    "bad stage": (POLICY.replace("stage: final", "stage: last"), "rule DF900: match.dockerfile.stage: must be one of any, final"),
    "bad regex": (POLICY.replace('option_absent: ["yes"]}', 'option_absent: ["yes"], argument: "("}'),
                  "rule DF900: match.dockerfile.command.argument: is not a valid regular expression"),
    "unquoted yes": (POLICY.replace('option_absent: ["yes"]', "option_absent: [yes]"),
                     "rule DF900: match.dockerfile.command.option_absent: must be a string or a list of strings (quote yes"),
    "dashed option": (POLICY.replace('option_absent: ["yes"]', "option_absent: [--yes]"),
                      "rule DF900: match.dockerfile.command.option_absent: name options without dashes"),
    "wrong family": (POLICY.replace("code: DF900", "code: DC901"), "rule DC901: code: a match.dockerfile rule needs a DF code"),
    "unknown placeholder": (POLICY.replace("{command} {value}", "{service}"), "rule DF900: message: unknown placeholder(s) {service}"),
    "command on COPY": (POLICY.replace("stage: final", "instruction: COPY"), "rule DF900: match.dockerfile.command: matches RUN commands"),
    "unlisted option": (POLICY.replace("compose: {path: services.*.labels.owner, when: absent}",
                                       "compose: {path: services.*.image, value_not_in: allowed}"),
                        "rule DC900: match.compose.value_not_in: names 'allowed', which must be a list option"),
    "misspelt docs": (POLICY.replace("    docs: |\n      apt-get", "    doc: |\n      apt-get"),
                     "rule DF900: the rule: unknown key(s) doc"),
    "not yaml": ("rules: [\n", "cannot read the pack"),
}


@pytest.mark.parametrize("name", INVALID)
def test_an_invalid_pack_is_a_configuration_error_naming_file_rule_and_field(tmp_path, name):
    text, message = INVALID[name]
    path = write(tmp_path / "bad.yaml", text)
    with pytest.raises(ConfigError) as raised:
        read_specs(path)
    assert str(raised.value).startswith(str(path)) and message in str(raised.value)


def test_an_invalid_pack_exits_2_from_the_cli(project):
    write(project / "policy" / "acme.yaml", POLICY.replace("stage: final", "stage: last"))
    done = run("lint", ".", cwd=project)
    assert done.returncode == 2
    assert "acme.yaml: rule DF900: match.dockerfile.stage" in done.stderr


def test_a_pack_may_not_reuse_a_code_or_a_missing_file(tmp_path):
    write(tmp_path / "p.yaml", POLICY.replace("code: DF900", "code: DF012"))
    with pytest.raises(ConfigError, match="DF012 is already used by another rule"):
        Engine(Config(packs=(str(tmp_path / "p.yaml"),)))
    write(tmp_path / ".twelvecheck.yaml", "packs: [nowhere.yaml]\n")
    with pytest.raises(ConfigError, match="packs: 'nowhere.yaml': no such pack file"):
        load_config(cwd=tmp_path, environ={})


def test_the_cache_returns_parsed_data_until_the_file_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(_cache, "_memory", None)
    path = write(tmp_path / "p.yaml", "a: 1\n")
    reads = []

    def parse(p: Path):
        reads.append(p)
        return {"a": p.read_text()}

    assert _cache.parsed(path, parse) == _cache.parsed(path, parse) == {"a": "a: 1\n"}
    monkeypatch.setattr(_cache, "_memory", None)  # a new process: read from the cache file
    assert _cache.parsed(path, parse) == {"a": "a: 1\n"} and len(reads) == 1
    write(path, "a: 22\n")
    assert _cache.parsed(path, parse) == {"a": "a: 22\n"} and len(reads) == 2


def test_the_one_dockerfile_path_does_not_import_yaml_once_the_packs_are_cached(tmp_path):
    write(tmp_path / "Dockerfile", "FROM debian:12\nUSER app\n")
    script = ("import sys; from twelvecheck.engine import lint; lint(['Dockerfile']); "
              "print(sorted(m for m in sys.modules if m == 'yaml' or m.startswith('twelvecheck.parse.compose')))")
    environment = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}

    def modules() -> str:
        return subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=environment, capture_output=True,
                              text=True, check=True).stdout.strip()

    assert "'yaml'" in modules()  # the first run parses the built-in packs (and indexes every rule)
    assert modules() == "[]"
