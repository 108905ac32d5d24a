"""Inputs that used to end in an internal error (exit 2, "internal error: RecursionError") or a
rule crash (TC004): each is now a located finding, or a clean exit 2 naming the path."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from helpers import lint_files, lint_text

DEEP = 5000


def _no_crash(findings) -> list:
    assert not [f for f in findings if f.rule == "TC004"], [f.message for f in findings if f.rule == "TC004"]
    return findings


def test_deeply_nested_exec_form_is_the_shell_form():
    findings = _no_crash(lint_text("FROM alpine:3.20\nUSER 1000\nCMD " + "[" * DEEP + "\n"))
    assert not [f for f in findings if f.rule == "TC001"]  # like BuildKit: not JSON, so a shell command


@pytest.mark.parametrize("line", [
    "RUN echo " + "${a:-" * DEEP + "x" + "}" * DEEP,
    "ENV A=" + "${a:+" * DEEP,
    "LABEL a=" + "${b:-" * DEEP + "}" * DEEP,
    "WORKDIR /" + "${c:-" * DEEP + "x",
])
def test_deeply_nested_variables_in_a_dockerfile(line):
    _no_crash(lint_text(f"FROM alpine:3.20\nUSER 1000\n{line}\n"))


def test_deeply_nested_variables_in_compose():
    compose = "services:\n  app:\n    image: " + "${A:-" * DEEP + "x" + "}" * DEEP + "\n"
    findings = _no_crash(lint_files({"compose.yaml": compose}))
    (error,) = [f for f in findings if f.rule == "TC001"]
    assert "nested more than 100 deep" in error.message and len(error.message) < 200


@pytest.mark.parametrize("port", ["9" * 30, "1" + "0" * 5000, "80-" + "9" * 5000])
def test_huge_exposed_port_is_out_of_range(port):
    findings = _no_crash(lint_text(f"FROM alpine:3.20\nUSER 1000\nEXPOSE {port}\n"))
    assert any(f.rule == "DF008" and "out of range" in f.message for f in findings)


def test_digit_like_characters_that_int_refuses():
    _no_crash(lint_text("FROM alpine:3.20\nUSER 1000\nEXPOSE \u00b2 22-\u00b3\nRUN useradd -u \u00b2 app && echo x \u00b2>f\n"
                        "COPY --from=\u00b2 /a /a\n"))


@pytest.mark.parametrize("value", ["'" + "9" * 5000 + ":80'", "9" * 5000, "'80-" + "9" * 30 + "'"])
def test_huge_compose_ports(value):
    # was a ValueError out of the compose loader (int() of 5000 digits): now the file is linted
    findings = _no_crash(lint_files({"compose.yaml": f"services:\n  app:\n    image: alpine:3.20\n    ports:\n      - {value}\n"}))
    assert any(f.rule == "DC007" for f in findings)


def test_healthcheck_and_chmod_with_huge_numbers():
    _no_crash(lint_text("FROM alpine:3.20\nUSER 1000\nHEALTHCHECK --interval=" + "9" * 5000 + "s CMD true\n"
                        "COPY --chmod=" + "7" * 5000 + " a /a\nCOPY --chown=" + "1" * 5000 + " a /b\n"))


def test_very_long_file_name_is_a_finding_not_a_crash(tmp_path):
    name = "x" * 300 + ".Dockerfile"
    done = subprocess.run([sys.executable, "-m", "twelvecheck", "lint", "--format", "json", name],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode in (1, 2) and "internal error" not in done.stderr
    assert "no such file" in done.stdout + done.stderr or "too long" in (done.stdout + done.stderr).lower()


def _lint_with_baseline(tmp_path, baseline: str) -> subprocess.CompletedProcess:
    (tmp_path / "Dockerfile").write_text("FROM alpine:latest\n")
    return subprocess.run([sys.executable, "-m", "twelvecheck", "lint", "--baseline", baseline, "Dockerfile"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)


def test_baseline_that_cannot_be_written_is_exit_2_with_the_path(tmp_path):
    (tmp_path / "file").write_text("")
    done = _lint_with_baseline(tmp_path, "file/baseline.json")  # its directory is a file: ENOTDIR
    assert done.returncode == 2 and "internal error" not in done.stderr
    assert "cannot write baseline file/baseline.json" in done.stderr


def test_baseline_on_a_read_only_mount(tmp_path):
    mount = tmp_path / "ro"
    mount.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "ro", "tmpfs", str(mount)]).returncode:
        pytest.skip("mounting a read-only tmpfs needs root")
    try:
        done = _lint_with_baseline(tmp_path, "ro/baseline.json")
    finally:
        subprocess.run(["umount", str(mount)], check=False)
    assert done.returncode == 2 and "internal error" not in done.stderr
    assert "ro/baseline.json" in done.stderr and "Read-only file system" in done.stderr


def test_baseline_fifo_does_not_hang(tmp_path):
    os.mkfifo(tmp_path / "baseline.json")
    done = _lint_with_baseline(tmp_path, "baseline.json")
    assert done.returncode == 2 and "FIFO" in done.stderr


@pytest.mark.parametrize("setting", ["jobs: 99999999999999999999999", "max-file-size: lots", "jobs: [1]"])
def test_bad_numbers_in_the_configuration_are_configuration_errors(tmp_path, setting):
    (tmp_path / ".twelvecheck.yaml").write_text(setting + "\n")
    done = _lint_with_baseline(tmp_path, "b.json")
    assert done.returncode == 2 and "configuration error" in done.stderr and "internal error" not in done.stderr


def test_parse_error_quotes_only_its_own_line(tmp_path):
    secret_next_line = "SECRETLINE=" + "s" * 20
    findings = lint_text(f"FROM alpine:3.20\nBOGUS \\\n{secret_next_line}\nUSER 1000\n")
    errors = [f for f in findings if f.rule == "TC001"]
    assert errors and all(secret_next_line not in f.message for f in errors)
