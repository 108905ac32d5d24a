"""Configuration and suppressions: selectors, presets, .hadolint.yaml, inline pragmas."""

from __future__ import annotations


import pytest

from helpers import lint_text
from twelvecheck.config import Config, ConfigError, load_config, selector_matches
from twelvecheck.rules.registry import find_rule

ROOT_USER = find_rule("DF003")


@pytest.mark.parametrize("selector", ["DF003", "DF", "DF0", "last-user-is-root", "DL3002", "CKV_DOCKER_8", "all"])
def test_selectors_that_match(selector):
    assert selector_matches(selector, ROOT_USER)


@pytest.mark.parametrize("selector", ["DF004", "SH", "factor:IX", "DL3003"])
def test_selectors_that_do_not_match(selector):
    assert not selector_matches(selector, ROOT_USER)


def test_factor_selector():
    assert selector_matches("factor:ix", find_rule("DF004"))


def test_config_file_with_preset_rules_and_options(tmp_path):
    (tmp_path / ".twelvecheck.yaml").write_text("ignore: [DF001]\nfail-on: error\nrules:\n  DF004: {severity: info}\n")
    config = load_config(cwd=tmp_path, environ={})
    assert config.fail_on == "error"
    assert not config.is_enabled(find_rule("DF001"))
    assert config.settings_for(find_rule("DF004")).severity == "info"


def test_pyproject_table_and_unknown_keys(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.twelvecheck]\nselect = ['DF003']\n")
    assert load_config(cwd=tmp_path, environ={}).select == ("DF003",)
    (tmp_path / ".twelvecheck.yaml").write_text("selekt: [DF003]\n")
    with pytest.raises(ConfigError, match="unknown configuration key"):
        load_config(cwd=tmp_path, environ={})


def test_hadolint_yaml_is_honoured(tmp_path):
    (tmp_path / ".hadolint.yaml").write_text(
        "ignored: [DL3006]\noverride:\n  error: [DL3025]\nfailure-threshold: error\ntrustedRegistries: [docker.io]\n"
    )
    config = load_config(cwd=tmp_path, environ={})
    assert not config.is_enabled(find_rule("DF001"))
    assert config.settings_for(find_rule("DF004")).severity == "error"
    assert config.fail_on == "error" and config.trusted_registries == ("docker.io",)


def test_environment_variables(tmp_path):
    config = load_config(cwd=tmp_path, environ={"TWELVECHECK_FAIL_ON": "never", "TWELVECHECK_IGNORE": "DF004"})
    assert config.fail_on == "never" and "DF004" in config.ignore


def test_inline_pragmas_by_code_name_and_alias():
    text = (
        "# hadolint global ignore=DL3006\n"
        "FROM alpine\n"
        "USER nobody\n"
        "# twelvecheck ignore=shell-form-command -- the wrapper forwards signals\n"
        "CMD sh\n"
        "# hadolint ignore=DL3025\n"
        "ENTRYPOINT sh\n"
    )
    config = Config(select=("DF001", "DF004", "TC002"))
    assert [f.rule for f in lint_text(text, config)] == []
    assert len([f for f in lint_text(text.replace("#", "# not a pragma:"), config) if f.rule != "TC002"]) == 3


def test_buildkit_check_skip_directive():
    text = "# check=skip=JSONArgsRecommended\nFROM alpine:3.20\nCMD sh\n"
    assert not lint_text(text, Config(select=("DF004",)))


def test_malformed_and_unknown_pragmas_are_findings():
    text = "FROM alpine:3.20\n# twelvecheck ignore DF004\nCMD [\"sh\"]\n# twelvecheck ignore=DF999\nUSER nobody\n"
    found = [(f.rule, f.span.line) for f in lint_text(text, Config(select=("TC002",)))]
    assert found == [("TC002", 2), ("TC002", 4)]


def test_unknown_rule_option_is_a_config_error():
    from twelvecheck.config import RuleSettings
    from twelvecheck.engine import Engine

    with pytest.raises(ConfigError, match="has no option"):
        Engine(Config(rules={"DF003": RuleSettings(options={"bogus": 1})}))


def test_presets_extend(tmp_path):
    (tmp_path / ".twelvecheck.yaml").write_text("extends: strict\nignore: [DF001]\n")
    config = load_config(cwd=tmp_path, environ={})
    assert config.fail_on == "info" and config.select == ("all",)
    assert not config.is_enabled(find_rule("DF001"))
    (tmp_path / ".twelvecheck.yaml").write_text("extends: hadolint\n")
    config = load_config(cwd=tmp_path, environ={})
    assert config.is_enabled(find_rule("DF003")) and not config.is_enabled(find_rule("TC002"))


@pytest.mark.parametrize("where", ["cli", "file", "env"])
def test_an_unknown_code_in_select_ignore_or_config_is_an_error_naming_it(tmp_path, where):
    kwargs, environ = {}, {}
    if where == "cli":
        kwargs["ignore"] = ("DF0012",)
    elif where == "file":
        (tmp_path / ".twelvecheck.yaml").write_text("ignore: [last-user-is-rot]\n")
    else:
        environ["TWELVECHECK_SELECT"] = "DF012,XX123"
    with pytest.raises(ConfigError, match="DF0012|last-user-is-rot|XX123"):
        load_config(cwd=tmp_path, environ=environ, **kwargs)


def test_valid_selectors_and_hadolint_codes_we_lack_are_accepted(tmp_path):
    (tmp_path / ".hadolint.yaml").write_text("ignored: [DL3026, DL3008]\n")  # DL3026: no rule of ours
    config = load_config(cwd=tmp_path, environ={}, select=("DF012", "last-user-is-root", "DL3002", "factor:III", "SH", "all"),
                         ignore=("SC2086", "tool:hadolint"))
    assert "DL3026" in config.ignore


def test_cli_exits_2_on_a_typo_in_ignore(tmp_path):
    from click.testing import CliRunner

    from twelvecheck.cli import main

    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\n")
    result = CliRunner().invoke(main, ["lint", "--ignore", "DF0012", str(tmp_path / "Dockerfile")])
    assert result.exit_code == 2 and "DF0012" in result.output


def test_checking_selectors_reads_the_rule_index_not_every_rule_module(tmp_path):
    """``--ignore shellcheck`` (the pre-commit habit) must not import the compose, image or
    ShellCheck rule modules to find out that 'shellcheck' names a rule; a typo still fails."""
    import subprocess
    import sys

    code = ("import sys; from pathlib import Path; from twelvecheck.config import load_config, ConfigError\n"
            "load_config(cwd=Path(sys.argv[1]), environ={}, select=('DF', 'SH004'), ignore=('shellcheck', 'DL3008'))\n"
            "try:\n    load_config(cwd=Path(sys.argv[1]), environ={}, ignore=('shellchek',))\n"
            "except ConfigError:\n    pass\nelse:\n    sys.exit('a typo was accepted')\n"
            "loaded = [m for m in sys.modules if m.startswith(('twelvecheck.rules.compose.', 'twelvecheck.rules.image.', "
            "'twelvecheck.rules.shell.', 'twelvecheck.build')) or m == 'yaml']\n"
            "print(loaded); sys.exit(1 if loaded else 0)")
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
