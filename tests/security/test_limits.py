"""Runaway RUN steps: a fork bomb, an unbounded allocation and a step that never ends are stopped
with a located build error naming the limit, and leave the machine as it was."""

import os
import secrets
import subprocess

import pytest
from sandbox_attacks import RUNTIMES, build_failure, require_tool, write_context

from twelvecheck.build import cgroup
from twelvecheck.build.sandbox import Limits


@pytest.fixture
def made_cgroups(monkeypatch) -> list[str]:
    """The paths of the cgroups the steps of this test made."""
    made: list[str] = []
    original = cgroup.StepCgroups.__init__

    def recording(self, *args, **kwargs):
        original(self, *args, **kwargs)
        made.extend(path for path, _ in self.paths.values())

    monkeypatch.setattr(cgroup.StepCgroups, "__init__", recording)
    return made


def _machine_usable() -> None:
    result = subprocess.run(["sh", "-c", "for i in 1 2 3 4 5 6 7 8; do true & done; wait; echo ok"],
                            capture_output=True, text=True, timeout=30)
    assert result.stdout.strip() == "ok"


@pytest.mark.parametrize("runtime, package, user", [("bwrap", "bubblewrap", ""), ("runc", "runc", "USER nobody\n")])
def test_a_fork_bomb_hits_the_process_limit(tmp_path, busybox_base, runtime, package, user):
    require_tool(runtime, package)
    if runtime == "bwrap" and cgroup._hierarchy("pids") is None:
        pytest.skip("no pids cgroup can be made here, and host root ignores RLIMIT_NPROC (docs/builder.md)")
    marker = f"{secrets.randbelow(10**6) + 10**6}"  # this test's sleeps, not a parallel test's
    context = write_context(tmp_path / "ctx", f"FROM busybox\n{user}RUN for i in $(seq 3000); do sleep {marker} & done; wait\n")
    message, _ = build_failure(context, busybox_base, tmp_path / "cache", runtime=runtime,
                               limits=Limits(pids=256))
    line = 3 if user else 2
    assert message.startswith(f"line {line}: RUN exited with status")
    assert "limit of 256 processes (--pids-limit; held by " in message
    _machine_usable()
    assert not any(marker.encode() in _cmdline(pid) for pid in os.listdir("/proc") if pid.isdigit())


def _cmdline(pid: str) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read()
    except OSError:
        return b""


@pytest.mark.parametrize("runtime, package, user", [("bwrap", "bubblewrap", ""), ("runc", "runc", "USER nobody\n")])
def test_an_unbounded_allocation_hits_the_memory_limit(tmp_path, busybox_base, runtime, package, user):
    require_tool(runtime, package)
    context = write_context(tmp_path / "ctx", f"FROM busybox\n{user}RUN tail /dev/zero\n")
    message, _ = build_failure(context, busybox_base, tmp_path / "cache", runtime=runtime,
                               limits=Limits(memory=128 << 20))
    assert "RUN exited with status" in message and "memory limit of 128m (--memory; held by " in message
    _machine_usable()


@pytest.mark.parametrize("runtime, package", RUNTIMES)
def test_a_step_that_never_ends_is_killed_at_the_timeout(tmp_path, busybox_base, runtime, package, made_cgroups):
    require_tool(runtime, package)
    context = write_context(tmp_path / "ctx", "FROM busybox\nRUN sleep 7301 & sleep 7302\n")
    message, _ = build_failure(context, busybox_base, tmp_path / "cache", runtime=runtime,
                               limits=Limits(timeout=1))
    assert message == "line 2: RUN killed after 1 s (--timeout): sleep 7301 & sleep 7302"
    assert not any(b"7301" in _cmdline(pid) or b"7302" in _cmdline(pid) for pid in os.listdir("/proc") if pid.isdigit())
    assert made_cgroups and not any(os.path.exists(path) for path in made_cgroups)


def test_the_defaults_are_finite():
    limits = Limits()
    assert 0 < limits.pids <= 4096 and 0 < limits.memory <= 16 << 30 and 0 < limits.timeout <= 24 * 3600
