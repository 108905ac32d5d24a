"""Each file's own configuration (ruff's habit): the configuration file closest to a linted file
applies to it, in lint, audit, --fix and the pre-commit hook's file lists, from wherever the run
starts; ``--config`` and ``--no-config`` apply one configuration (or none) to every file."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from twelvecheck.cli import main
from twelvecheck.config import ConfigError, config_for, load_config

UNTAGGED = "FROM debian\nCMD [\"true\"]\n"  # DF001 (untagged base), DF100 (no USER)


@pytest.fixture
def monorepo(tmp_path):
    """A repository whose root configuration ignores DF100; the subproject's extends it and
    also ignores DF001; a second subproject has its own file that does not extend the root's."""
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / ".twelvecheck.yaml").write_text("ignore: [DF100]\n")
    (repo / "Dockerfile").write_text(UNTAGGED)
    (repo / "services" / "api").mkdir(parents=True)
    (repo / "services" / "api" / ".twelvecheck.yaml").write_text("extends: ../../.twelvecheck.yaml\nignore: [DF001]\n")
    (repo / "services" / "api" / "Dockerfile").write_text(UNTAGGED)
    (repo / "services" / "api" / "docker").mkdir()
    (repo / "services" / "api" / "docker" / "Dockerfile.dev").write_text(UNTAGGED)
    (repo / "tools").mkdir()
    (repo / "tools" / "pyproject.toml").write_text("[tool.twelvecheck]\nignore = ['untagged-base-image']\n")
    (repo / "tools" / "Dockerfile").write_text(UNTAGGED)
    return repo


def _codes(*arguments, command="lint") -> dict[str, set[str]]:
    result = CliRunner().invoke(main, [command, *arguments, "--format", "json", "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    found: dict[str, set[str]] = {}
    for finding in json.loads(result.output)["findings"]:
        found.setdefault(finding["file"], set()).add(finding["rule"])
    return found


EXPECTED = {
    "Dockerfile": {"DF001"},  # the root's: DF100 ignored
    "services/api/Dockerfile": set(),  # the subproject's: extends the root's, ignores DF001 too
    "services/api/docker/Dockerfile.dev": set(),  # a directory without a file: its parent's applies
    "tools/Dockerfile": {"DF100"},  # its own pyproject.toml, which does not extend: the root's DF100 applies no more
}


def test_lint_from_the_root_gives_each_file_its_nearest_configuration(monorepo, monkeypatch):
    monkeypatch.chdir(monorepo)
    found = _codes(".")
    assert {f: found.get(f, set()) & {"DF001", "DF100"} for f in EXPECTED} == EXPECTED
    explicit = _codes(*EXPECTED)  # the pre-commit hook's way: the staged files, from the root
    assert {f: explicit.get(f, set()) & {"DF001", "DF100"} for f in EXPECTED} == EXPECTED


def test_lint_from_a_subdirectory_and_files_elsewhere(monorepo, monkeypatch):
    monkeypatch.chdir(monorepo / "services" / "api")
    assert _codes(".") == {}
    assert _codes("Dockerfile", "../../Dockerfile", "../../tools/Dockerfile") == {
        "../../Dockerfile": {"DF001"}, "../../tools/Dockerfile": {"DF100"}}
    monkeypatch.chdir(monorepo.parent)  # outside the repository: the files still find theirs
    assert _codes("repo/services/api/Dockerfile") == {}


def test_standard_input_takes_the_configuration_of_the_name_it_stands_for(monorepo, monkeypatch):
    monkeypatch.chdir(monorepo)
    found = lambda name: {f["rule"] for f in json.loads(CliRunner().invoke(main, [  # noqa: E731
        "lint", "-", "--stdin-filename", name, "--format", "json", "--fail-on", "never"], input=UNTAGGED).output)["findings"]}
    assert found("services/api/Dockerfile") & {"DF001", "DF100"} == set()
    assert found("tools/Dockerfile") & {"DF001", "DF100"} == {"DF100"}
    assert found("Dockerfile") & {"DF001", "DF100"} == {"DF001"}


def test_audit_gives_each_file_its_nearest_configuration(monorepo, monkeypatch):
    monkeypatch.chdir(monorepo)
    found = _codes(".", command="audit")
    assert {f: found.get(f, set()) & {"DF001", "DF100"} for f in EXPECTED} == EXPECTED
    monkeypatch.chdir(monorepo.parent)
    found = _codes("repo/services", command="audit")  # the root's configuration lies above the audited directory
    assert not found.get("api/Dockerfile", set()) & {"DF001", "DF100"}


def test_config_and_no_config_apply_to_every_file(monorepo, monkeypatch):
    monkeypatch.chdir(monorepo)
    one = _codes(".", "--config", ".twelvecheck.yaml")
    assert {f: one.get(f, set()) & {"DF001", "DF100"} for f in EXPECTED} == {f: {"DF001"} for f in EXPECTED}
    none = _codes(".", "--no-config")
    assert {f: none.get(f, set()) & {"DF001", "DF100"} for f in EXPECTED} == {f: {"DF001", "DF100"} for f in EXPECTED}
    # the command line goes over each file's own configuration
    selected = _codes(".", "--ignore", "DF001")
    assert {f: selected.get(f, set()) & {"DF001", "DF100"} for f in EXPECTED} == {
        "Dockerfile": set(), "services/api/Dockerfile": set(), "services/api/docker/Dockerfile.dev": set(),
        "tools/Dockerfile": {"DF100"}}


def test_the_search_stops_at_the_repository_root(tmp_path, monkeypatch):
    (tmp_path / ".twelvecheck.yaml").write_text("ignore: [DF001]\n")  # above the repository: not its configuration
    repo = tmp_path / "checkout"
    (repo / ".git").mkdir(parents=True)
    (repo / "Dockerfile").write_text(UNTAGGED)
    monkeypatch.chdir(repo)
    assert "DF001" in _codes(".")["Dockerfile"]
    (repo / ".git").rmdir()  # not a repository: the walk goes on to the filesystem root
    assert "DF001" not in _codes(".").get("Dockerfile", set())


def test_hadolint_yaml_and_twelvecheck_files_are_found_separately(monorepo, monkeypatch):
    (monorepo / ".hadolint.yaml").write_text("ignored: [DL3006]\n")  # hadolint's code for DF001
    (monorepo / ".twelvecheck.yaml").write_text("select: [DF001, DF100]\n")
    (monorepo / "services" / "api" / ".twelvecheck.yaml").write_text("ignore: [DF100]\n")
    monkeypatch.chdir(monorepo)
    found = _codes("Dockerfile", "services/api/Dockerfile")
    assert found.get("Dockerfile", set()) & {"DF001", "DF100"} == {"DF100"}
    assert found.get("services/api/Dockerfile", set()) & {"DF001", "DF100"} == set()


def test_a_broken_or_linked_nested_configuration_is_a_configuration_error(monorepo, monkeypatch, tmp_path):
    monkeypatch.chdir(monorepo)
    (monorepo / "services" / "api" / ".twelvecheck.yaml").write_text("ignore: [DF0001]\n")
    result = CliRunner().invoke(main, ["lint", "."])
    assert result.exit_code == 2 and "DF0001" in result.output
    (monorepo / "services" / "api" / ".twelvecheck.yaml").unlink()
    secret = tmp_path / "elsewhere.yaml"
    secret.write_text("ignore: [DF001]\n")
    (monorepo / "services" / "api" / ".twelvecheck.yaml").symlink_to(secret)
    result = CliRunner().invoke(main, ["lint", "services/api/Dockerfile"])
    assert result.exit_code == 2 and "symbolic link" in result.output


def test_fix_uses_each_files_configuration(monorepo, monkeypatch):
    body = "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n"
    (monorepo / "Dockerfile").write_text(body)
    (monorepo / "services" / "api" / "Dockerfile").write_text(body)
    (monorepo / "services" / "api" / ".twelvecheck.yaml").write_text("ignore: [SH003]\n")
    monkeypatch.chdir(monorepo)
    CliRunner().invoke(main, ["lint", "--fix", "--fail-on", "never", "."])
    assert "rm -rf /var/lib/apt/lists" in (monorepo / "Dockerfile").read_text()
    assert (monorepo / "services" / "api" / "Dockerfile").read_text() == body


def test_the_library_keeps_one_search_per_run(monorepo):
    config = load_config(cwd=monorepo, environ={})
    api = config_for(config, str(monorepo / "services" / "api" / "Dockerfile"))
    assert api is config_for(config, str(monorepo / "services" / "api" / "docker" / "Dockerfile.dev"))
    assert api.source.endswith("services/api/.twelvecheck.yaml") and config.source.endswith("repo/.twelvecheck.yaml")
    assert config_for(config, str(monorepo / "Dockerfile")) is config  # the run's own: no second engine
    given = load_config(str(monorepo / ".twelvecheck.yaml"), cwd=monorepo, environ={})
    assert config_for(given, str(monorepo / "services" / "api" / "Dockerfile")) is given
    with pytest.raises(ConfigError, match="not found"):
        load_config(str(monorepo / "missing.yaml"), environ={})
