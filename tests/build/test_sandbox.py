"""RUN sandboxes: both runtimes isolate the network, leave no mount points behind, and run as USER."""

import contextlib
import json
import os
import signal
import subprocess
import tarfile
import textwrap

import pytest
from conftest import require_tool
from test_builder import write_context

from twelvecheck.build import sandbox
from twelvecheck.build.builder import build
from twelvecheck.build.unpack import unpack_layer


@pytest.fixture(scope="module")
def rootfs(busybox_base, tmp_path_factory):
    """The busybox base unpacked by our own unpacker."""
    root = tmp_path_factory.mktemp("rootfs")
    root.chmod(0o755)  # as the builder makes it: a non-root USER has no capability to pass a 0700 root
    index = json.loads((busybox_base / "index.json").read_text())
    manifest_hex = index["manifests"][0]["digest"].split(":")[1]
    manifest = json.loads((busybox_base / "blobs" / "sha256" / manifest_hex).read_text())
    for layer in manifest["layers"]:
        with open(busybox_base / "blobs" / "sha256" / layer["digest"].split(":")[1], "rb") as blob:
            unpack_layer(blob, str(root))
    return root


def run_in(rootfs, runtime, script, uid=0, network="none"):
    lines: list[str] = []
    spec = sandbox.RunSpec(str(rootfs), ("/bin/sh", "-c", script), ("PATH=/bin:/usr/bin:/sbin",), "/",
                           uid, uid, (), network)
    status = sandbox.run(spec, lines.append, runtime)
    return status, lines


@pytest.mark.parametrize("runtime, package", [("bwrap", "bubblewrap"), ("runc", "runc")])
def test_runtimes_isolate_the_network_and_leave_no_mount_points(rootfs, runtime, package):
    require_tool(runtime, package)
    before = sorted(os.listdir(rootfs))
    os.rmdir(rootfs / "proc")  # the runtime must create it and take it away again
    status, lines = run_in(rootfs, runtime, "tail -n +3 /proc/net/dev | cut -d: -f1; exit 3")
    assert status == 3
    assert [line.strip() for line in lines] == ["lo"]
    assert sorted(os.listdir(rootfs)) == [name for name in before if name != "proc"]
    os.mkdir(rootfs / "proc")


def test_a_non_root_user_runs_under_runc_with_its_own_uid(rootfs):
    require_tool("runc", "runc")
    spec = sandbox.RunSpec(str(rootfs), ("true",), (), uid=65534, gid=65534)
    assert sandbox.choose_runtime(spec) == "runc"
    status, lines = run_in(rootfs, None, "id -u; id -g", uid=65534)
    assert (status, lines) == (0, ["65534", "65534"])


def test_no_runtime_names_the_package_to_install(monkeypatch):
    monkeypatch.setattr(sandbox.shutil, "which", lambda name: None)
    with pytest.raises(sandbox.SandboxError, match="apt-get install bubblewrap"):
        sandbox.choose_runtime(sandbox.RunSpec("/nonexistent", ("true",), ()))


def test_cache_and_tmpfs_mounts_stay_out_of_the_layer(tmp_path, busybox_base):
    require_tool("bwrap", "bubblewrap")
    context = write_context(tmp_path / "ctx", textwrap.dedent("""\
        FROM busybox
        ARG RUN_ID
        RUN --mount=type=cache,target=/var/cache/thing --mount=type=tmpfs,target=/scratch \\
            echo "$RUN_ID" >> /var/cache/thing/runs && echo x > /scratch/tmp && \\
            wc -l < /var/cache/thing/runs > /runs-seen
    """), {})
    cache = str(tmp_path / "cache")
    bases = {"busybox": f"oci:{busybox_base}:latest"}
    build(context, bases=bases, cache_dir=cache, build_args={"RUN_ID": "1"})
    image = build(context, bases=bases, cache_dir=cache, build_args={"RUN_ID": "2"})
    with tarfile.open(image.blob_path(image.layers[-1].descriptor.digest)) as layer:
        names = layer.getnames()
        seen = layer.extractfile("runs-seen").read()
    assert seen.strip() == b"2"  # the cache mount kept the first build's line
    assert not any(name.startswith(("var/cache/thing/", "scratch/")) for name in names)


@pytest.mark.parametrize("runtime, package", [("bwrap", "bubblewrap"), ("runc", "runc")])
def test_a_container_can_be_signalled_waited_for_and_killed(rootfs, runtime, package):
    """The entry point a long-running process (verify --run) uses: start, signal, wait, kill."""
    require_tool(runtime, package)
    script = "trap 'echo got-term; exit 3' TERM; echo up; while true; do sleep 0.1; done"
    spec = sandbox.RunSpec(str(rootfs), ("/bin/sh", "-c", script), ("PATH=/bin",))
    with sandbox.Container(spec, runtime=runtime) as container:
        container.start()
        assert container.process.stdout.readline() == b"up\n"
        assert container.wait(0.2) is None  # still running
        container.signal(signal.SIGTERM)
        assert container.wait(20) == 3
        assert container.process.stdout.read() == b"got-term\n"
    marker = "4242"
    spec = sandbox.RunSpec(str(rootfs), ("/bin/sh", "-c", f"sleep {marker}1 & sleep {marker}2"), ("PATH=/bin",))
    with sandbox.Container(spec, runtime=runtime) as container:
        container.start(stdout=subprocess.DEVNULL)
        container.kill()
        assert container.wait(0) is not None
    leftover = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        with contextlib.suppress(OSError), open(f"/proc/{pid}/cmdline", "rb") as handle:
            if f"sleep\0{marker}".encode() in handle.read():
                leftover.append(pid)
    assert leftover == []
