"""The command line, end to end, through a real subprocess: exit codes, formats, bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from click.testing import CliRunner
from helpers import CORPUS, run, write

from twelvecheck.cli import main

from twelvecheck.outputs import _umask

GOOD = "FROM alpine:3.20\nUSER nobody\nCMD [\"sh\"]\n"
BAD = "FROM alpine\nUSER nobody\nCMD sh\n"


def test_exit_codes_follow_fail_on(tmp_path):
    write(tmp_path / "Dockerfile", BAD)
    assert run("lint", str(tmp_path)).returncode == 1
    assert run("lint", "--fail-on", "error", str(tmp_path)).returncode == 0
    write(tmp_path / "Dockerfile", GOOD)
    assert run("lint", str(tmp_path)).returncode == 0
    assert run("lint", "--select", "NOPE999", "--config", str(tmp_path / "missing.yaml"), str(tmp_path)).returncode == 2


def test_text_output_line_format_and_summary(tmp_path):
    write(tmp_path / "Dockerfile", BAD)
    result = run("lint", "Dockerfile", cwd=tmp_path)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Dockerfile:1:1 DF001 warning ")
    assert lines[-1].startswith("2 findings in 1 file")
    assert "\033[" not in result.stdout


def test_json_output_is_the_contract(tmp_path):
    write(tmp_path / "Dockerfile", BAD)
    data = json.loads(run("lint", "--format", "json", "Dockerfile", cwd=tmp_path).stdout)
    assert data["tool"]["name"] == "twelvecheck"
    finding = data["findings"][0]
    assert set(finding) == {"rule", "name", "severity", "message", "hint", "file", "line", "column",
                            "end_line", "end_column", "factors", "aliases", "evidence", "fix"}
    assert finding["file"] == "Dockerfile" and finding["aliases"] == ["DL3006", "CKV_DOCKER_7"]
    assert data["summary"] == {"files": 1, "findings": 2, "by_severity": {"warning": 2}}


def test_several_formats_to_files(tmp_path):
    write(tmp_path / "Dockerfile", BAD)
    result = run("lint", "--format", "json", "-o", "r.json", "--format", "text", "-o", "r.txt", ".", cwd=tmp_path)
    assert result.returncode == 1 and result.stdout == ""
    assert json.loads((tmp_path / "r.json").read_text())["summary"]["findings"] == 2
    assert "DF004" in (tmp_path / "r.txt").read_text()


def test_github_actions_gets_annotations_unless_a_format_is_asked(tmp_path):
    write(tmp_path / "Dockerfile", BAD)
    on_runner = run("lint", ".", cwd=tmp_path, env={"GITHUB_ACTIONS": "true"})
    assert on_runner.stdout.startswith("::warning file=Dockerfile,line=1,")
    asked = run("lint", "--format", "text", ".", cwd=tmp_path, env={"GITHUB_ACTIONS": "true"})
    assert asked.stdout.startswith("Dockerfile:1:1 DF001")


@pytest.mark.parametrize(
    ("name", "content", "mode", "expected"),
    [
        ("heredoc", "FROM alpine:3.20\nRUN <<EOF\necho\n", "w", "TC001"),
        ("unknown", "FROM alpine:3.20\nWRONG DOCKERFILE\n", "w", "TC001"),
        ("binary", b"\x7fELF\x00\x00\x01", "wb", "TC003"),
        ("latin1", "FROM alpine:3.20\nLABEL a=\"caf\xe9\"\n".encode("latin-1"), "wb", "TC003"),
        ("empty", "", "w", "TC001"),
    ],
)
def test_bad_input_is_a_finding_not_a_traceback(tmp_path, name, content, mode, expected):
    path = write(tmp_path / f"{name}.Dockerfile", content, mode)
    result = run("lint", "--format", "json", str(path))
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    findings = json.loads(result.stdout)["findings"]
    assert expected in {f["rule"] for f in findings}
    if name == "latin1":
        assert (findings[0]["line"], findings[0]["column"]) == (2, 13)


def test_huge_file_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "huge.Dockerfile"
    with open(path, "wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    result = run("lint", "--format", "json", str(path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    (finding,) = json.loads(result.stdout)["findings"]
    assert finding["rule"] == "TC003" and "limit" in finding["message"]


def test_directory_symlink_loop_is_reported_and_the_rest_linted(tmp_path):
    write(tmp_path / "app" / "Dockerfile", BAD)
    os.symlink("..", tmp_path / "app" / "loop")
    result = run("lint", "--format", "json", str(tmp_path))
    assert "Traceback" not in result.stderr
    rules = [f["rule"] for f in json.loads(result.stdout)["findings"]]
    assert rules.count("DF001") == 1 and "TC003" in rules


def test_gitignored_dockerfiles_are_skipped(tmp_path):
    write(tmp_path / ".gitignore", "vendor/\n*.generated.Dockerfile\n")
    write(tmp_path / "vendor" / "Dockerfile", BAD)
    write(tmp_path / "x.generated.Dockerfile", BAD)
    write(tmp_path / "Dockerfile.prod", BAD)
    data = json.loads(run("lint", "--format", "json", str(tmp_path), cwd=tmp_path).stdout)
    assert {f["file"] for f in data["findings"]} == {"Dockerfile.prod"}


def test_rules_and_rule_commands():
    listing = json.loads(run("rules", "--format", "json").stdout)
    assert any(rule["code"] == "DF003" and rule["aliases"]["hadolint"] == ["DL3002"] for rule in listing)
    doc = run("rule", "DL3002").stdout
    assert doc.startswith("# DF003 last-user-is-root") and "## Why is this bad?" in doc
    assert run("rule", "NOPE").returncode == 2


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside this checkout")
def test_whole_corpus_lints_without_a_crash():
    files = sorted(str(p) for p in (CORPUS / "dockerfiles").iterdir())
    result = run("lint", "--format", "json", "--fail-on", "never", "--select", "all", *files)
    assert result.returncode == 0, result.stderr[-2000:]
    data = json.loads(result.stdout)
    assert data["summary"]["files"] == len(files)
    assert not [f for f in data["findings"] if f["rule"] == "TC004"]


def test_reports_are_written_with_ordinary_permissions(tmp_path):
    write(tmp_path / "Dockerfile", GOOD)
    run("lint", "--format", "html", "-o", "report.html", ".", cwd=tmp_path)
    assert (tmp_path / "report.html").stat().st_mode & 0o777 == 0o666 & ~_umask()


def test_the_pre_commit_path_imports_no_report_machinery(tmp_path):
    write(tmp_path / "Dockerfile", BAD)
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "twelvecheck", "lint", "Dockerfile"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()}
    assert not {"jinja2", "twelvecheck.report.html_format", "twelvecheck.report.sarif_format",
                "twelvecheck.fingerprint", "twelvecheck.fix", "twelvecheck.fix_write"} & imported


def test_fix_rewrites_the_file_atomically_and_keeps_its_mode(tmp_path):
    path = write(tmp_path / "Dockerfile", "FROM alpine:3.20\nMAINTAINER ops@example.com\nUSER nobody\n")
    path.chmod(0o640)
    result = run("lint", "--fix", "--format", "json", "Dockerfile", cwd=tmp_path)
    assert "applied 1 fix" in result.stderr
    assert path.read_text() == 'FROM alpine:3.20\nLABEL org.opencontainers.image.authors="ops@example.com"\nUSER nobody\n'
    assert (path.stat().st_mode & 0o777) == 0o640
    assert json.loads(result.stdout)["findings"] == [] and result.returncode == 0
    assert [p.name for p in tmp_path.iterdir()] == ["Dockerfile"]


def test_an_unwritable_report_exits_2_with_the_reason(tmp_path):
    write(tmp_path / "Dockerfile", GOOD)
    result = run("lint", "--format", "json", "-o", str(tmp_path / "no" / "dir" / "r.json"), str(tmp_path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "cannot write" in result.stderr


def test_an_internal_error_exits_2_without_a_traceback(tmp_path, monkeypatch):
    from click.testing import CliRunner

    import twelvecheck.engine
    from twelvecheck.cli import main

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(twelvecheck.engine, "lint", broken)
    monkeypatch.delenv("TWELVECHECK_DEBUG", raising=False)
    result = CliRunner().invoke(main, ["lint", str(tmp_path)])
    assert result.exit_code == 2
    assert "internal error: RuntimeError: boom" in result.output


def test_an_explicit_yaml_file_of_any_name_is_linted_as_compose(tmp_path):
    write(tmp_path / "prod.yml", "services:\n  web:\n    image: nginx:1.27\n    privileged: true\n")
    data = json.loads(run("lint", "--format", "json", "prod.yml", cwd=tmp_path).stdout)
    assert {f["rule"] for f in data["findings"]} >= {"DC001"}
    assert not [f for f in data["findings"] if f["rule"] == "TC001"]


def test_stdin_is_linted_as_the_named_file(tmp_path):
    result = CliRunner().invoke(main, ["lint", "-", "--stdin-filename", "deploy/compose.yaml", "--format", "json",
                                       "--fail-on", "never"], input="services:\n  web:\n    image: nginx\n")
    data = json.loads(result.output)
    assert {f["file"] for f in data["findings"]} == {"deploy/compose.yaml"}
    assert "DC009" in {f["rule"] for f in data["findings"]}


def test_show_source_prints_standard_inputs_lines_not_a_file_of_the_same_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "Dockerfile").write_text("FROM scratch\n# a different file on disk\n")
    result = CliRunner().invoke(main, ["lint", "-", "--stdin-filename", "Dockerfile", "--show-source", "--no-config",
                                       "--select", "SH003"],
                                input="FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n")
    lines = result.output.splitlines()
    assert lines[0].startswith("Dockerfile:2:5 SH003")
    assert lines[1] == "    | RUN apt-get update && apt-get install -y --no-install-recommends curl"
    assert lines[2] == "    |     " + "^" * len("apt-get update")


def test_configuration_is_found_from_the_linted_files_directory_and_no_config_skips_it(tmp_path, monkeypatch):
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / ".twelvecheck.yaml").write_text("ignore: [DF001]\n")
    (tmp_path / "svc" / "Dockerfile").write_text("FROM debian\n")
    monkeypatch.chdir(tmp_path.parent)  # the working directory holds no configuration
    codes = lambda *extra: {f["rule"] for f in json.loads(CliRunner().invoke(
        main, ["lint", str(tmp_path / "svc" / "Dockerfile"), "--format", "json", "--fail-on", "never", *extra]).output)["findings"]}
    assert "DF001" not in codes()
    assert "DF001" in codes("--no-config")


def test_hadolint_command_line_habits(tmp_path):
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM quay.io/team/app:1.0\n# hadolint ignore=DL3002\nUSER root\n")

    def findings(*options):
        output = CliRunner().invoke(main, ["lint", str(dockerfile), "--format", "json", "--fail-on", "never", "--no-config",
                                           *options]).output
        return {f["rule"]: f["severity"] for f in json.loads(output)["findings"]}

    assert "DF003" not in findings()  # the pragma silences DL3002 (last-user-is-root)
    assert findings("--disable-ignore-pragma")["DF003"] == "warning"
    assert findings("--disable-ignore-pragma", "--error", "DL3002")["DF003"] == "error"
    assert "DF016" in findings("--trusted-registry", "docker.io")  # quay.io is not trusted
    assert "DF021" in findings("--require-label", "maintainer:text")


@pytest.mark.parametrize("fmt", ["github", "sarif", "junit", "json", "gitlab", "checkstyle"])
def test_audit_of_a_subdirectory_names_files_from_the_workspace_in_every_format(tmp_path, fmt):
    write(tmp_path / "services" / "api" / "Dockerfile", "FROM debian\n")
    result = run("audit", "services/api", "--format", fmt, "--fail-on", "never", cwd=tmp_path,
                 env={"GITHUB_WORKSPACE": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "services/api/Dockerfile" in result.stdout


def test_show_source_prints_the_flagged_line_under_each_finding(tmp_path):
    write(tmp_path / "Dockerfile", "FROM alpine:3.20\nRUN apk add curl\n")
    result = run("lint", "Dockerfile", "--show-source", "--select", "SH009", cwd=tmp_path)
    assert "    | RUN apk add curl\n    |     ^^^^^^^^^^^^\n" in result.stdout
