"""Killing ``twelvecheck build`` in the middle of a RUN step (SIGINT, SIGTERM, SIGKILL; both
runtimes) leaves no process, mount, cgroup or temporary directory behind; and the leftovers of a
build whose process is gone are swept by the next one."""

import glob
import os
import secrets
import select
import signal
import subprocess
import time

import pytest
from sandbox_attacks import cli_build, require_tool, write_context

from twelvecheck.build import cgroup, workdir


def _wait_for_line(process: subprocess.Popen, text: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stderr], [], [], 0.5)
        if ready:
            line = process.stderr.readline()
            if text in line:
                return
            if not line and process.poll() is not None:
                break
    raise AssertionError(f"never saw {text!r} (exit status {process.poll()})")


def _processes_with(marker: bytes) -> list[str]:
    found = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as handle:
                    if marker in handle.read():
                        found.append(pid)
            except OSError:
                pass
    return found


def _leftovers(tmp, marker: bytes, cgroups: list[str]) -> list[str]:
    with open("/proc/self/mountinfo") as handle:
        mounts = [line for line in handle if str(tmp) in line]
    return ([f"process {pid}" for pid in _processes_with(marker)] + [f"mount {line}" for line in mounts] +
            [f"cgroup {path}" for path in cgroups if os.path.exists(path)] +
            [f"file {name}" for name in os.listdir(tmp)])


@pytest.mark.parametrize("runtime, package, user", [("bwrap", "bubblewrap", ""), ("runc", "runc", "USER nobody\n")])
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=["INT", "TERM", "KILL"])
def test_a_killed_build_leaves_nothing(tmp_path, busybox_base, runtime, package, user, signum):
    require_tool(runtime, package)
    marker = f"{secrets.randbelow(10**6) + 10**6}"
    context = write_context(tmp_path / "ctx", f"""\
        FROM busybox
        {user}RUN --mount=type=tmpfs,target=/scratch echo "$((6*7))-ready" && sleep {marker} & sleep {marker}
    """)
    tmp = tmp_path / "tmp"
    process = cli_build(context, busybox_base, tmp, "--runtime", runtime)
    try:
        _wait_for_line(process, "42-ready")
        work = glob.glob(str(tmp / (workdir.PREFIX + "*")))
        assert len(work) == 1
        with open(os.path.join(work[0], cgroup.RECORD_FILE)) as handle:
            cgroups = handle.read().split()
        assert _processes_with(marker.encode())
        process.send_signal(signum)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:  # the test failed before its signal: do not leave the build running
            process.terminate()
            process.wait(60)
    if signum != signal.SIGKILL:
        assert process.returncode == 130
        assert "interrupted" in process.stderr.read()
    deadline = time.monotonic() + 20  # after SIGKILL the reaper takes the work directory down
    while _leftovers(tmp, marker.encode(), cgroups) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _leftovers(tmp, marker.encode(), cgroups) == []


def test_the_next_build_sweeps_what_a_dead_build_left(tmp_path):
    parent = tmp_path / "tmp"
    parent.mkdir()
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = parent / (workdir.PREFIX + "dead")
    (stale / "rootfs" / "merged").mkdir(parents=True)
    (stale / workdir.OWNER_FILE).write_text(f"{dead.pid} 1\n")
    subprocess.run(["mount", "-t", "tmpfs", "stale", str(stale / "rootfs" / "merged")], check=True)
    located = cgroup._hierarchy("pids")
    path = None
    if located:
        path = os.path.join(located[0], f"twelvecheck-test-{secrets.token_hex(4)}")
        os.mkdir(path)
        (stale / cgroup.RECORD_FILE).write_text(path + "\n")
    alive = parent / (workdir.PREFIX + "alive")
    alive.mkdir()
    other_version = parent / (workdir.PREFIX + "other-version")  # an owner file we cannot read: not ours to judge
    other_version.mkdir()
    (other_version / workdir.OWNER_FILE).write_text("1 2 3 4\n")
    with workdir.work_dir(str(parent)) as fresh:  # the start of the next build
        (alive / workdir.OWNER_FILE).write_text(open(os.path.join(fresh, workdir.OWNER_FILE)).read())
        assert not stale.exists()
        assert str(stale) not in open("/proc/self/mountinfo").read()
        assert path is None or not os.path.exists(path)
        assert alive.exists()  # its owner (this process) is alive
    assert sorted(os.listdir(parent)) == [alive.name, other_version.name]
