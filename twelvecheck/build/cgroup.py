"""Per-step cgroups for the pids and memory limits, where the machine lets us make them.

For each controller we look for its hierarchy: a cgroup v1 mount that carries it, else the v2
unified hierarchy when our own cgroup delegates it (it is listed in our cgroup's
``cgroup.subtree_control``).  The step's cgroup is a child of our own cgroup in that hierarchy
(nested, so it can only tighten what we already have), named after the container.  Machines with
hybrid v1/v2 cgroups, like the ones this was written on, have pids and memory on v1 only.
When a controller has no usable hierarchy, the sandbox falls back to rlimits (sandbox.py).

After the step, ``events()`` says whether a limit was hit (``pids.events`` max, the memory
``oom_kill`` count), so the build error can name the limit.  The
paths are recorded in the work directory's ``cgroups`` file before anything is put in them, so
a sweep (workdir.py) can kill what is left in them and remove them.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time

CGROUP_ROOT = "/sys/fs/cgroup"
PROC_SELF = "/proc/self"  # where our cgroup membership and mount table are read (tests point it at a fake tree)
RECORD_FILE = "cgroups"
_LIMIT_FILES = {("pids", 1): "pids.max", ("pids", 2): "pids.max",
                ("memory", 1): "memory.limit_in_bytes", ("memory", 2): "memory.max"}


def _own_paths() -> dict[str, str]:
    """controller (or '' for v2) -> our cgroup's path inside that hierarchy."""
    paths = {}
    with open(os.path.join(PROC_SELF, "cgroup")) as handle:
        for line in handle:
            number, controllers, path = line.rstrip("\n").split(":", 2)
            for controller in controllers.split(",") if controllers else [""]:
                paths[controller] = path
    return paths


def _hierarchy(controller: str) -> tuple[str, int] | None:
    """(directory of our own cgroup, version) for ``controller``, or None."""
    try:
        own = _own_paths()
        with open(os.path.join(PROC_SELF, "mountinfo")) as handle:
            mounts = [line.split() for line in handle]
    except OSError:
        return None
    for fields in mounts:
        separator = fields.index("-")
        fstype, options = fields[separator + 1], fields[separator + 3].split(",")
        if fstype == "cgroup" and controller in options and controller in own:
            return os.path.join(fields[4], own[controller].lstrip("/")), 1
    for fields in mounts:
        separator = fields.index("-")
        if fields[separator + 1] == "cgroup2" and "" in own:
            directory = os.path.join(fields[4], own[""].lstrip("/"))
            try:
                with open(os.path.join(directory, "cgroup.subtree_control")) as handle:
                    if controller in handle.read().split():
                        return directory, 2
            except OSError:
                pass
    return None


class StepCgroups:
    """The step's cgroups, one per controller that has a hierarchy; ``controllers`` lists them."""

    def __init__(self, name: str, record_dir: str | None, pids: int, memory: int):
        self.paths: dict[str, tuple[str, int]] = {}
        self.limits = {"pids": pids, "memory": memory}
        for controller, limit in (("pids", pids), ("memory", memory)):
            found = _hierarchy(controller)
            if found is None or os.geteuid() != 0:
                continue
            parent, version = found
            path = os.path.join(parent, name)
            shared = path in self.directories  # v2: one cgroup holds every controller
            try:
                if not shared:
                    if record_dir:
                        with open(os.path.join(record_dir, RECORD_FILE), "a") as record:
                            record.write(path + "\n")
                    os.mkdir(path)
                _write(path, _LIMIT_FILES[controller, version], str(limit))
                if controller == "memory" and version == 2:
                    with contextlib.suppress(OSError):
                        _write(path, "memory.swap.max", "0")
            except OSError:
                if not shared:
                    remove(path)
                continue
            self.paths[controller] = (path, version)

    @property
    def controllers(self) -> tuple[str, ...]:
        return tuple(self.paths)

    @property
    def directories(self) -> list[str]:
        """The cgroups made, each once (on v2 the controllers share one)."""
        return list(dict.fromkeys(path for path, _ in self.paths.values()))

    def enter(self) -> None:
        """Move the calling process into every cgroup (called in the runtime's child before exec)."""
        for path in self.directories:
            _write(path, "cgroup.procs", "0")

    def events(self, killed: bool) -> list[str]:
        """Which limits were hit: 'pids', 'memory'.  v1 counts events where they happen, which
        may be a cgroup runc nested in ours and removed already: then the peak number of tasks,
        and for a tree that was killed the count of failed memory charges, say it."""
        hit = []
        for controller, (path, version) in self.paths.items():
            counters = _counters(path, "pids.events" if controller == "pids" else
                                 ("memory.events" if version == 2 else "memory.oom_control"))
            if controller == "pids" and (counters.get("max", 0) > 0 or
                                         _number(path, "pids.peak") >= self.limits["pids"]):
                hit.append("pids")
            if controller == "memory" and (counters.get("oom_kill", 0) > 0 or
                                           (version == 1 and killed and _number(path, "memory.failcnt") > 0)):
                hit.append("memory")
        return hit

    def kill_all(self) -> None:
        for path in self.directories:
            kill_members(path)

    def remove(self) -> None:
        for path in self.directories:
            remove(path)


def _write(directory: str, name: str, value: str) -> None:
    with open(os.path.join(directory, name), "w") as handle:
        handle.write(value)


def _counters(directory: str, name: str) -> dict[str, int]:
    counters = {}
    try:
        with open(os.path.join(directory, name)) as handle:
            for line in handle:
                key, _, value = line.partition(" ")
                with contextlib.suppress(ValueError):
                    counters[key] = int(value)
    except OSError:
        pass
    return counters


def _number(directory: str, name: str) -> int:
    try:
        with open(os.path.join(directory, name)) as handle:
            return int(handle.read().strip() or 0)
    except (OSError, ValueError):
        return 0


def kill_members(path: str) -> None:
    try:
        with open(os.path.join(path, "cgroup.procs")) as handle:
            pids = [int(line) for line in handle if line.strip()]
    except OSError:
        return
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def remove(path: str, seconds: float = 5.0) -> None:
    """Kill what is left in the cgroup and remove it (retrying while the dying processes leave)."""
    if not path.startswith(CGROUP_ROOT + "/") or not os.path.isdir(path):
        return
    with contextlib.suppress(OSError):
        for name in os.listdir(path):  # a cgroup runc nested in ours, if runc could not remove it
            if os.path.isdir(os.path.join(path, name)) and not os.path.islink(os.path.join(path, name)):
                remove(os.path.join(path, name), seconds)
    deadline = time.monotonic() + seconds
    while True:
        kill_members(path)
        try:
            os.rmdir(path)
            return
        except FileNotFoundError:
            return
        except OSError:
            if time.monotonic() > deadline:
                return
            time.sleep(0.02)


def remove_recorded(record_dir: str) -> None:
    """Remove the cgroups listed in ``record_dir``'s record file (a sweep of a dead build)."""
    try:
        with open(os.path.join(record_dir, RECORD_FILE)) as handle:
            paths = [line.strip() for line in handle if line.strip()]
    except OSError:
        return
    for path in reversed(paths):
        remove(path)
