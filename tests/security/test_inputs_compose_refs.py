"""Compose files naming files outside the linted tree (include, extends.file, env_file, an
include's env_file): refused with a TC006 finding at the reference, and nothing of them read."""

from __future__ import annotations

from security.inputs_support import assert_no_canary, findings_of, host_canary, lint_all_formats, repo


def _lint_compose(tmp_path, text: str):
    host_canary(tmp_path)
    root = repo(tmp_path)
    (root / "compose.yaml").write_text(text.replace("HOST", str(tmp_path / "host")))
    return lint_all_formats(root)


def test_include_outside_the_tree(tmp_path):
    report, outputs = _lint_compose(tmp_path, "include:\n  - ../host/compose.yaml\nservices:\n  app:\n    image: alpine:3.20\n")
    (finding,) = findings_of(report, "TC006")
    assert (finding.file, finding.span.line) == ("compose.yaml", 2)
    assert "include 'compose.yaml'" in finding.message and "outside the linted tree" in finding.message
    assert_no_canary(outputs)


def test_include_with_an_env_file_outside_the_tree(tmp_path):
    (tmp_path / "repo" / "lib").mkdir(parents=True)
    (tmp_path / "repo" / "lib" / "compose.yaml").write_text("services:\n  lib:\n    image: alpine:3.20\n")
    report, outputs = _lint_compose(tmp_path, "include:\n  - path: lib/compose.yaml\n    env_file: HOST/env\n")
    assert [(f.file, f.span.line) for f in findings_of(report, "TC006")] == [("compose.yaml", 2)]
    assert_no_canary(outputs)


def test_extends_file_outside_the_tree(tmp_path):
    report, outputs = _lint_compose(
        tmp_path, "services:\n  app:\n    extends:\n      file: HOST/extends.yaml\n      service: x\n")
    (finding,) = findings_of(report, "TC006")
    assert finding.span.line == 4 and "services.app.extends: file 'extends.yaml'" in finding.message
    assert_no_canary(outputs)


def test_env_file_outside_the_tree(tmp_path):
    report, outputs = _lint_compose(tmp_path, "services:\n  app:\n    image: alpine:3.20\n    env_file: HOST/secret\n")
    (finding,) = findings_of(report, "TC006")
    assert finding.span.line == 4 and finding.message.startswith("env_file ")
    assert_no_canary(outputs)


def test_env_file_linked_outside_the_tree(tmp_path):
    secret = host_canary(tmp_path)
    root = repo(tmp_path)
    (root / "app.env").symlink_to(secret)
    (root / "compose.yaml").write_text("services:\n  app:\n    image: alpine:3.20\n    env_file: app.env\n")
    report, outputs = lint_all_formats(root)
    assert [(f.file, f.span.line) for f in findings_of(report, "TC006")] == [("compose.yaml", 4)]
    assert_no_canary(outputs)


def test_env_file_inside_the_tree_is_read(tmp_path):
    root = repo(tmp_path)
    (root / "app.env").write_text("DB_PASSWORD=hunter2hunter2\n")
    (root / "compose.yaml").write_text("services:\n  app:\n    image: alpine:3.20\n    env_file: app.env\n")
    report, _ = lint_all_formats(root)
    assert not findings_of(report, "TC006")
    assert any(f.file == "app.env" for f in report.findings)  # its values were checked


def test_missing_absolute_env_file_is_a_deploy_time_file_not_a_finding(tmp_path):
    report, _ = _lint_compose(tmp_path, "services:\n  app:\n    image: alpine:3.20\n    env_file: /run/deploy/app.env\n")
    assert not findings_of(report, "TC006") and not findings_of(report, "TC001")
