"""Outputs never destroy what was there: ``build --output oci:DIR`` only into a missing or empty
directory or an image layout (adding to it), ``-o`` and ``docker-archive:`` write into devices
and FIFOs, replace a symlink's target, report every failure as exit 2 with the path, and leave
no temporary file behind, even when interrupted."""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tarfile
import threading

import pytest
from unpack_hostile import as_root, build

from twelvecheck.outputs import OutputError, write_output

DOCKERFILE = "FROM scratch\nCOPY f /f\n"


def build_to(tmp_path, output, *args):
    return build(tmp_path, DOCKERFILE, "--output", output, *args, files={"f": b"content\n"})


def lint_to(tmp_path, output, *args):
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\nCMD sh\n")
    return subprocess.run([sys.executable, "-m", "twelvecheck", "lint", "--format", "json", "-o", str(output),
                           *args, "Dockerfile"], cwd=tmp_path, capture_output=True, text=True, timeout=120)


def assert_refused(result, path):
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert str(path) in result.stderr and "Traceback" not in result.stderr, result.stderr


def leftovers(directory):
    return [name for name in os.listdir(directory) if name.startswith((".twelvecheck-", ".oci-", ".docker-"))]


def null_device(path):
    """A character device like /dev/null (1:3) in the test's own directory: never the real one."""
    as_root()
    os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    return path


# -- oci:DIR ------------------------------------------------------------------------------------
def test_oci_output_refuses_a_directory_with_other_files_and_keeps_them(tmp_path):
    target = tmp_path / "precious"
    target.mkdir()
    (target / "thesis.tex").write_text("years of work")
    result = build_to(tmp_path, f"oci:{target}")
    assert_refused(result, target)
    assert "neither empty nor an OCI image layout" in result.stderr
    assert os.listdir(target) == ["thesis.tex"] and (target / "thesis.tex").read_text() == "years of work"
    assert not (tmp_path / "cache").exists()  # refused before building


def test_oci_output_refuses_a_regular_file(tmp_path):
    target = tmp_path / "file"
    target.write_text("keep")
    assert_refused(build_to(tmp_path, f"oci:{target}"), target)
    assert target.read_text() == "keep"


def test_oci_output_writes_into_an_empty_directory(tmp_path):
    target = tmp_path / "empty"
    target.mkdir()
    result = build_to(tmp_path, f"oci:{target}", "-t", "x:1")
    assert result.returncode == 0, result.stderr
    index = json.loads((target / "index.json").read_text())
    assert [m["annotations"]["org.opencontainers.image.ref.name"] for m in index["manifests"]] == ["1"]
    _umoci_accepts(target, "1", tmp_path)


def test_oci_output_adds_to_an_existing_layout_and_replaces_only_its_tag(tmp_path):
    target = tmp_path / "layout"
    assert build_to(tmp_path, f"oci:{target}", "-t", "x:one").returncode == 0
    (tmp_path / "context" / "f").write_bytes(b"changed\n")
    result = build(tmp_path, DOCKERFILE, "--output", f"oci:{target}", "-t", "x:two", files={"f": b"two\n"})
    assert result.returncode == 0, result.stderr
    result = build(tmp_path, DOCKERFILE, "--output", f"oci:{target}", "-t", "x:two", files={"f": b"two again\n"})
    assert result.returncode == 0, result.stderr
    index = json.loads((target / "index.json").read_text())
    tags = [m["annotations"]["org.opencontainers.image.ref.name"] for m in index["manifests"]]
    assert sorted(tags) == ["one", "two"]
    assert not leftovers(target) and not leftovers(tmp_path)
    for tag in ("one", "two"):
        _umoci_accepts(target, tag, tmp_path / tag)


def _umoci_accepts(layout, tag, scratch):
    if shutil.which("umoci") is None:
        pytest.skip("umoci is not installed (apt-get install umoci)")
    result = subprocess.run(["umoci", "unpack", "--image", f"{layout}:{tag}", str(scratch / "bundle")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_oci_output_refuses_an_unknown_transport_before_building(tmp_path):
    result = build_to(tmp_path, "tarball:/tmp/x")
    assert result.returncode == 2 and "unknown output 'tarball:/tmp/x'" in result.stderr


# -- devices and FIFOs, for docker-archive:FILE and -o FILE ---------------------------------------
WRITERS = {  # how to write an output to a path, and the exit status that means "written"
    "docker-archive": (lambda tmp_path, path: build_to(tmp_path, f"docker-archive:{path}"), 0),
    "report": (lambda tmp_path, path: lint_to(tmp_path, path), 1),  # 1: findings, written
}


@pytest.mark.parametrize("writer", WRITERS)
def test_an_output_into_a_device_writes_into_it(tmp_path, writer):
    device = null_device(tmp_path / "null")
    write, written = WRITERS[writer]
    result = write(tmp_path, device)
    assert result.returncode == written, result.stderr
    assert stat.S_ISCHR(os.lstat(device).st_mode) and not leftovers(tmp_path)


@pytest.mark.parametrize("writer", WRITERS)
def test_an_output_into_a_fifo_streams_into_it(tmp_path, writer):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    write, written = WRITERS[writer]
    result = write(tmp_path, fifo)
    reader.join(60)
    assert result.returncode == written, result.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    if writer == "report":
        assert json.loads(received[0])["findings"]
    else:
        (tmp_path / "got.tar").write_bytes(received[0])
        with tarfile.open(tmp_path / "got.tar") as archive:
            assert "manifest.json" in archive.getnames()


# -- docker-archive:FILE -------------------------------------------------------------------------
def test_docker_archive_onto_a_symlink_replaces_its_target(tmp_path):
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "image.tar"
    target.write_text("old")
    link = tmp_path / "link.tar"
    link.symlink_to(target)
    result = build_to(tmp_path, f"docker-archive:{link}")
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == str(target)
    with tarfile.open(target) as archive:
        assert "manifest.json" in archive.getnames()
    assert not leftovers(tmp_path / "real")


def test_docker_archive_onto_a_directory_is_refused_before_building(tmp_path):
    (tmp_path / "dir").mkdir()
    assert_refused(build_to(tmp_path, f"docker-archive:{tmp_path / 'dir'}"), tmp_path / "dir")


def test_docker_archive_in_a_missing_unwritable_place_is_exit_2_with_the_path(tmp_path):
    as_root()
    blocker = tmp_path / "file"
    blocker.write_text("x")
    target = blocker / "sub" / "image.tar"  # a parent that is a file
    assert_refused(build_to(tmp_path, f"docker-archive:{target}"), target)


# -- reports (-o) --------------------------------------------------------------------------------
def test_a_report_to_dev_stdout_goes_to_standard_output(tmp_path):
    result = lint_to(tmp_path, "/dev/stdout")
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout)["findings"]


def test_a_report_onto_a_symlink_replaces_its_target_and_keeps_the_link(tmp_path):
    (tmp_path / "reports").mkdir()
    target = tmp_path / "reports" / "report.json"
    target.write_text("old")
    os.chmod(target, 0o640)
    link = tmp_path / "report.json"
    link.symlink_to(target)
    result = lint_to(tmp_path, link)
    assert result.returncode == 1, result.stderr
    assert link.is_symlink() and json.loads(target.read_text())["findings"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # the replaced file's mode is kept
    assert not leftovers(tmp_path / "reports")


@pytest.mark.parametrize("where", ["directory", "missing parent", "file as parent"])
def test_a_report_that_cannot_be_written_is_exit_2_with_the_path(tmp_path, where):
    as_root()
    (tmp_path / "file").write_text("x")
    output = {"directory": tmp_path, "missing parent": tmp_path / "no" / "r.json",
              "file as parent": tmp_path / "file" / "r.json"}[where]
    result = lint_to(tmp_path, output)
    assert_refused(result, output)


def test_a_report_on_a_read_only_filesystem_is_exit_2_with_the_path(tmp_path):
    as_root()
    if shutil.which("unshare") is None:
        pytest.skip("unshare is not installed (util-linux)")
    (tmp_path / "ro").mkdir()
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\nCMD sh\n")
    script = (f"mount --bind {tmp_path / 'ro'} {tmp_path / 'ro'} && mount -o remount,bind,ro {tmp_path / 'ro'} && "
              f"exec {sys.executable} -m twelvecheck lint --format json -o {tmp_path / 'ro' / 'r.json'} Dockerfile")
    result = subprocess.run(["unshare", "-m", "sh", "-c", script], cwd=tmp_path, capture_output=True, text=True,
                            timeout=120)
    if "mount" in result.stderr and result.returncode not in (1, 2):
        pytest.skip(f"cannot make a read-only mount here: {result.stderr.strip()}")
    assert_refused(result, tmp_path / "ro" / "r.json")
    assert "Read-only file system" in result.stderr


# -- interruption ------------------------------------------------------------------------------
@pytest.mark.parametrize("interrupt", ["SIGTERM", "Ctrl-C", "error"])
def test_an_interrupted_write_leaves_the_old_file_and_no_temporary_file(tmp_path, interrupt):
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("signals reach only the main thread")
    target = tmp_path / "report.json"
    target.write_text("old")

    def produce(stream):
        stream.write(b"half of a new ")
        stream.flush()
        if interrupt == "SIGTERM":
            os.kill(os.getpid(), signal.SIGTERM)
        elif interrupt == "Ctrl-C":
            raise KeyboardInterrupt
        else:
            raise OSError(28, "No space left on device")

    expected = {"SIGTERM": SystemExit, "Ctrl-C": KeyboardInterrupt, "error": OutputError}[interrupt]
    with pytest.raises(expected) as raised:
        write_output(str(target), produce)
    if interrupt == "error":
        assert str(target) in str(raised.value) and "No space left" in str(raised.value)
    assert target.read_text() == "old" and not leftovers(tmp_path)
    assert signal.getsignal(signal.SIGTERM) is not None


def test_a_killed_build_output_leaves_no_temporary_file(tmp_path):
    """SIGTERM while a docker-archive is streamed into a FIFO nobody reads: the process exits and
    nothing is left beside a regular target either."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    context = tmp_path / "context"
    context.mkdir()
    (context / "Dockerfile").write_text(DOCKERFILE)
    (context / "f").write_text("x")
    process = subprocess.Popen([sys.executable, "-m", "twelvecheck", "build", str(context), "--cache-dir",
                                str(tmp_path / "cache"), "--output", f"docker-archive:{fifo}"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        process.wait(timeout=5)  # blocks opening the FIFO: no reader
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)
    assert process.returncode != 0
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and not leftovers(tmp_path)
