"""Symbolic links in a hostile repository: a link leaving the linted tree is reported at the
link and never read, so no host file reaches any report; a link inside the tree is followed."""

from __future__ import annotations

import os
import subprocess
import sys

from security.inputs_support import CANARY, assert_no_canary, findings_of, host_canary, lint_all_formats, repo


def test_dockerfile_linked_to_a_host_file_is_reported_not_read(tmp_path):
    secret, root = host_canary(tmp_path), repo(tmp_path)
    (root / "Dockerfile").symlink_to(secret)
    report, outputs = lint_all_formats(root)
    (finding,) = findings_of(report, "TC006")
    assert finding.file == "Dockerfile" and finding.span.line == 1
    assert "symbolic link" in finding.message and "outside the linted tree" in finding.message
    assert [f.rule for f in report.findings] == ["TC006"]
    assert_no_canary(outputs)


def test_relative_link_climbing_out_of_the_tree(tmp_path):
    host_canary(tmp_path)
    root = repo(tmp_path)
    (root / "app").mkdir()
    (root / "app" / "Dockerfile").symlink_to("../../host/secret")
    report, outputs = lint_all_formats(root)
    assert [(f.rule, f.file) for f in report.findings] == [("TC006", "app/Dockerfile")]
    assert_no_canary(outputs)


def test_compose_file_linked_outside(tmp_path):
    host_canary(tmp_path)
    root = repo(tmp_path)
    (root / "compose.yaml").symlink_to(tmp_path / "host" / "compose.yaml")
    report, outputs = lint_all_formats(root)
    assert [(f.rule, f.file) for f in report.findings] == [("TC006", "compose.yaml")]
    assert_no_canary(outputs)


def test_dockerignore_linked_outside_is_reported_and_not_used_as_the_context_ignore_file(tmp_path):
    secret, root = host_canary(tmp_path), repo(tmp_path)
    (root / ".dockerignore").symlink_to(secret)
    (root / "Dockerfile").write_text("FROM alpine:3.20\nCOPY . /app\nUSER 1000\n")
    report, outputs = lint_all_formats(root)
    assert [(f.rule, f.file) for f in findings_of(report, "TC006")] == [("TC006", ".dockerignore")]
    assert_no_canary(outputs)


def test_directory_link_leaving_the_tree_is_not_walked(tmp_path):
    secret, root = host_canary(tmp_path), repo(tmp_path)
    (secret.parent / "Dockerfile").write_text(CANARY_TEXT_DOCKERFILE)
    (root / "vendor").symlink_to(secret.parent)
    report, outputs = lint_all_formats(root)
    assert [(f.rule, f.file) for f in report.findings] == [("TC006", "vendor")]
    assert "not followed" in report.findings[0].message
    assert_no_canary(outputs)


CANARY_TEXT_DOCKERFILE = f"FROM alpine:3.20\n{CANARY}INSTRUCTION x\n"


def test_link_inside_the_tree_is_followed(tmp_path):
    root = repo(tmp_path)
    (root / "docker").mkdir()
    (root / "docker" / "real.Dockerfile").write_text("FROM alpine:latest\nUSER 1000\n")
    (root / "Dockerfile").symlink_to("docker/real.Dockerfile")
    report, _ = lint_all_formats(root, ["Dockerfile"])
    assert not findings_of(report, "TC006") and not findings_of(report, "TC003")
    assert findings_of(report, "DF002")  # alpine:latest: the target was read and linted


def test_explicit_file_argument_linking_outside(tmp_path):
    secret, root = host_canary(tmp_path), repo(tmp_path)
    (root / "Dockerfile").symlink_to(secret)
    report, outputs = lint_all_formats(root, ["Dockerfile"])
    assert [f.rule for f in report.findings] == ["TC006"]
    assert_no_canary(outputs)


def test_audit_reports_the_link_and_reads_nothing_behind_it(tmp_path):
    secret, root = host_canary(tmp_path), repo(tmp_path)
    (root / "Dockerfile").symlink_to(secret)
    (root / "compose.yaml").symlink_to(tmp_path / "host" / "compose.yaml")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    report, outputs = lint_all_formats(root, audit=True)
    assert {(f.rule, f.file) for f in findings_of(report, "TC006")} == {("TC006", "Dockerfile"), ("TC006", "compose.yaml")}
    assert_no_canary(outputs)


def test_discovered_config_linking_outside_is_refused_without_quoting_it(tmp_path):
    secret, root = host_canary(tmp_path), repo(tmp_path)
    secret.write_text("".join(f"{CANARY}{i}: x\n" for i in range(3)))
    (root / ".twelvecheck.yaml").symlink_to(secret)
    (root / "Dockerfile").write_text("FROM alpine:3.20\n")
    done = subprocess.run([sys.executable, "-m", "twelvecheck", "lint", "."], cwd=root, capture_output=True,
                          text=True, timeout=120, env={**os.environ, "GITHUB_ACTIONS": ""})
    assert done.returncode == 2
    assert ".twelvecheck.yaml" in done.stderr and "outside its directory" in done.stderr
    assert CANARY not in done.stdout + done.stderr
