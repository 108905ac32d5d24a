"""`twelvecheck build` through the real CLI: an image written, a failing step reported."""

from __future__ import annotations

import subprocess
import sys

from conftest import require_tool


def _build(*args, cwd):
    return subprocess.run([sys.executable, "-m", "twelvecheck", "build", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=300)


def test_build_writes_an_image_real_tools_accept(tmp_path, busybox_base, real_tools_accept):
    require_tool("bwrap", "bubblewrap")
    context = tmp_path / "ctx"
    context.mkdir()
    (context / "hello.txt").write_text("hello\n")
    (context / "Dockerfile").write_text("FROM busybox\nCOPY hello.txt /srv/\nRUN cat /srv/hello.txt > /srv/copy\nUSER 1000\nCMD [\"cat\", \"/srv/copy\"]\n")
    out = tmp_path / "out"
    result = _build(str(context), "-t", "demo:1", "--base", f"busybox=oci:{busybox_base}:latest",
                    "--output", f"oci:{out}", "--cache-dir", str(tmp_path / "cache"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith("sha256:")
    real_tools_accept(out, "1", tmp_path / "check")


def test_a_failing_step_exits_1_with_the_line(tmp_path, busybox_base):
    require_tool("bwrap", "bubblewrap")
    (tmp_path / "Dockerfile").write_text("FROM busybox\nRUN exit 3\n")
    result = _build(".", "--base", f"busybox=oci:{busybox_base}:latest", "--cache-dir", str(tmp_path / "cache"), cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "line 2: RUN exited with status 3" in result.stderr


def test_library_api_builds_through_the_callable_package(tmp_path, busybox_base):
    require_tool("bwrap", "bubblewrap")
    import twelvecheck

    (tmp_path / "Dockerfile").write_text("FROM busybox\nENV GREETING=hi\n")
    image = twelvecheck.build(str(tmp_path), bases={"busybox": f"oci:{busybox_base}:latest"},
                              cache_dir=str(tmp_path / "cache"))
    assert "GREETING=hi" in image.config.config.env


def test_limit_options_are_parsed_and_bad_values_are_clean_errors(tmp_path, busybox_base):
    require_tool("bwrap", "bubblewrap")
    (tmp_path / "Dockerfile").write_text("FROM busybox\nRUN sleep 5\n")
    common = ("--base", f"busybox=oci:{busybox_base}:latest", "--cache-dir", str(tmp_path / "cache"))
    bad = _build(".", *common, "--memory", "lots", cwd=tmp_path)
    assert bad.returncode == 2 and "'lots' is not a size" in bad.stderr and "Traceback" not in bad.stderr
    result = _build(".", *common, "--timeout", "0.5s", "--memory", "64m", "--pids-limit", "64", cwd=tmp_path)
    assert result.returncode == 1
    assert "line 2: RUN killed after 0.5 s (--timeout): sleep 5" in result.stderr
