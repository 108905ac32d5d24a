"""The per-step cgroups on the hierarchies this machine does not have.

The machines the suite runs on have hybrid cgroups (pids and memory on v1), so the v2 path and the
choice between v1 and v2 are exercised here on a fake tree: a mount table, our own cgroup
membership and the hierarchy directories, as the kernel shows them. What is checked is what the
builder writes there (the limit files of the right version), what it records for the sweep, and
how it reads back which limit was hit.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from twelvecheck.build import cgroup

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="per-step cgroups are made only by root")

V1_CPU = "31 24 0:27 / {root}/cpu rw,nosuid - cgroup cgroup rw,cpu,cpuacct\n"
V1_PIDS = "32 24 0:28 / {root}/pids rw,nosuid - cgroup cgroup rw,pids\n"
V2 = "30 24 0:26 / {root}/unified rw,nosuid,nodev - cgroup2 cgroup2 rw,nsdelegate\n"


def fake_machine(tmp_path: Path, monkeypatch, mounts: str, membership: str, delegated: str) -> Path:
    """A cgroup root under tmp_path with the given mount table and membership; our own v2
    cgroup delegates the controllers in ``delegated``."""
    root = tmp_path / "cgroup"
    proc = tmp_path / "proc-self"
    proc.mkdir()
    (proc / "mountinfo").write_text("22 1 8:1 / / rw - ext4 /dev/sda1 rw\n" + mounts.format(root=root))
    (proc / "cgroup").write_text(membership)
    own_v2 = root / "unified" / "user.slice" / "build"
    own_v2.mkdir(parents=True)
    (own_v2 / "cgroup.subtree_control").write_text(delegated + "\n")
    (root / "pids" / "ci").mkdir(parents=True)
    monkeypatch.setattr(cgroup, "PROC_SELF", str(proc))
    monkeypatch.setattr(cgroup, "CGROUP_ROOT", str(root))
    return root


def test_pure_v2_machine_limits_are_written_to_the_v2_files(tmp_path, monkeypatch):
    root = fake_machine(tmp_path, monkeypatch, V1_CPU + V2, "4:cpu,cpuacct:/\n0::/user.slice/build\n", "memory pids")
    record = tmp_path / "work"
    record.mkdir()

    step = cgroup.StepCgroups("tc-step-1", str(record), pids=64, memory=1 << 20)

    made = root / "unified" / "user.slice" / "build" / "tc-step-1"
    assert step.controllers == ("pids", "memory")
    assert step.paths == {"pids": (str(made), 2), "memory": (str(made), 2)}
    assert (made / "pids.max").read_text() == "64"
    assert (made / "memory.max").read_text() == str(1 << 20)
    assert (made / "memory.swap.max").read_text() == "0"  # no swapping past the limit
    assert not (made / "memory.limit_in_bytes").exists()  # v1's file name is not used on v2
    assert (record / cgroup.RECORD_FILE).read_text().split() == [str(made)]  # one cgroup, recorded once


def test_v2_events_name_the_limit_that_was_hit(tmp_path, monkeypatch):
    root = fake_machine(tmp_path, monkeypatch, V2, "0::/user.slice/build\n", "memory pids")
    step = cgroup.StepCgroups("tc-step-2", None, pids=64, memory=1 << 20)
    made = root / "unified" / "user.slice" / "build" / "tc-step-2"
    assert step.events(killed=False) == []

    (made / "pids.events").write_text("max 3\n")
    (made / "memory.events").write_text("low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\n")

    assert step.events(killed=False) == ["pids", "memory"]


def test_undelegated_v2_controller_is_left_to_the_rlimit_fallback(tmp_path, monkeypatch):
    root = fake_machine(tmp_path, monkeypatch, V2, "0::/user.slice/build\n", "cpu io")

    step = cgroup.StepCgroups("tc-step-3", None, pids=64, memory=1 << 20)

    assert step.controllers == ()
    assert not (root / "unified" / "user.slice" / "build" / "tc-step-3").exists()


def test_hybrid_machine_takes_a_controller_from_v1_when_v1_carries_it(tmp_path, monkeypatch):
    root = fake_machine(tmp_path, monkeypatch, V1_CPU + V1_PIDS + V2,
                        "4:cpu,cpuacct:/\n3:pids:/ci\n0::/user.slice/build\n", "memory")

    step = cgroup.StepCgroups("tc-step-4", None, pids=64, memory=1 << 20)

    assert step.paths["pids"] == (str(root / "pids" / "ci" / "tc-step-4"), 1)
    assert step.paths["memory"] == (str(root / "unified" / "user.slice" / "build" / "tc-step-4"), 2)
    assert (root / "pids" / "ci" / "tc-step-4" / "pids.max").read_text() == "64"


def test_a_cgroup_that_cannot_be_made_is_skipped_and_not_left_recorded_half_made(tmp_path, monkeypatch):
    root = fake_machine(tmp_path, monkeypatch, V2, "0::/user.slice/build\n", "memory pids")
    parent = root / "unified" / "user.slice" / "build"
    (parent / "tc-step-5").write_text("in the way")  # mkdir fails: EEXIST on a file

    step = cgroup.StepCgroups("tc-step-5", None, pids=64, memory=1 << 20)

    assert step.controllers == ()
    assert (parent / "tc-step-5").read_text() == "in the way"
