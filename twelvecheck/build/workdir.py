"""A build's private work directory, and taking it down whatever way the build ends.

Everything a build creates on the host lives under one directory ``twelvecheck-build-*`` in the
temporary directory: unpacked rootfs trees, overlay mounts, RUN scratch files and secrets,
runc's state (``runc/``) and the list of the steps' cgroups (``cgroups``).  Taking it down means:
kill and delete every runc container recorded in ``runc/``, kill what is left in the recorded
cgroups and remove them, detach every mount below the
directory (deepest first, found in ``/proc/self/mountinfo``), then remove the tree without
following links.

When does that happen:

- on a normal exit, an exception, SIGINT or SIGTERM (the CLI turns SIGTERM into an exception):
  when the ``work_dir()`` block is left;
- on SIGKILL of twelvecheck: a small reaper process (this file run as a script, in its own session
  so a terminal's Ctrl-C does not reach it) holds the read end of a pipe whose write end only
  twelvecheck holds; end-of-file without the word ``done`` first means twelvecheck died, and the
  reaper takes the directory down.  bwrap is also started with ``--die-with-parent``, and runc
  with a parent-death signal;
- if even the reaper was killed: the next ``work_dir()`` sweeps every ``twelvecheck-build-*``
  directory whose ``owner`` file names a process that no longer exists (pid and start time, so a
  reused pid does not count as alive).

This module and cgroup.py import only the standard library: the reaper runs this file with
``python -I -S``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from typing import Iterator

PREFIX = "twelvecheck-build-"
OWNER_FILE = "owner"  # "PID STARTTIME"
PID_NAMESPACE_FILE = "owner-pid-namespace"  # apart, so an owner file keeps the format older sweeps read
RUNC_STATE = "runc"
_MNT_DETACH = 2
_UNOWNED_GRACE_SECONDS = 600  # a directory without an owner file (being created, or older code)


_REAPERS: dict[str, tuple[subprocess.Popen, int]] = {}


@contextlib.contextmanager
def work_dir(parent: str | None = None) -> Iterator[str]:
    """A fresh work directory (after sweeping dead builds' leftovers), taken down on exit.
    Call ``guard(path)`` before putting a mount or a process in it."""
    parent = parent or tempfile.gettempdir()
    sweep_stale(parent)
    path = tempfile.mkdtemp(prefix=PREFIX, dir=parent)
    try:
        _write_owner(path)
        yield path
    finally:
        take_down(path)
        reaper = _REAPERS.pop(path, None)
        if reaper is not None:  # it exits by itself; no need to wait for it
            process, pipe = reaper
            try:
                os.write(pipe, b"done")
            finally:
                os.close(pipe)


def guard(path: str) -> None:
    """Start the reaper of ``path`` unless it runs already (a build that only reads its cache
    never needs one: an empty directory left by SIGKILL is swept by the next build)."""
    if path not in _REAPERS and os.path.basename(path).startswith(PREFIX):
        reaper = _start_reaper(path)
        if reaper is not None:
            _REAPERS[path] = reaper


def _process_start(pid: int) -> str | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            fields = handle.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return fields[19].decode() if len(fields) > 19 else None  # starttime, field 22 of stat


def _write_owner(path: str) -> None:
    with open(os.path.join(path, PID_NAMESPACE_FILE), "w") as handle:
        handle.write(_pid_namespace() + "\n")
    temporary = os.path.join(path, OWNER_FILE + ".new")
    with open(temporary, "w") as handle:
        handle.write(f"{os.getpid()} {_process_start(os.getpid())}\n")
    os.rename(temporary, os.path.join(path, OWNER_FILE))


def _pid_namespace() -> str:
    try:
        return os.readlink("/proc/self/ns/pid").replace(" ", "")
    except OSError:
        return "unknown"


def owner_alive(path: str) -> bool:
    """Whether the build that owns ``path`` may still run: its process exists with the same start
    time, or it lives in another pid namespace (a container sharing the directory), where we
    cannot tell.  A directory whose owner file is missing or unreadable (being created, or
    written by another version) counts as alive until it is ``_UNOWNED_GRACE_SECONDS`` old."""
    try:
        with open(os.path.join(path, OWNER_FILE)) as handle:
            pid_text, start = handle.read().split()
        pid = int(pid_text)
    except (OSError, ValueError):
        try:
            return time.time() - os.lstat(path).st_mtime < _UNOWNED_GRACE_SECONDS
        except OSError:
            return False
    try:
        with open(os.path.join(path, PID_NAMESPACE_FILE)) as handle:
            if handle.read().strip() != _pid_namespace():
                return True
    except OSError:
        pass
    return _process_start(pid) == start


def sweep_stale(parent: str) -> list[str]:
    """Take down the work directories of builds whose process is gone; return their paths."""
    swept = []
    try:
        names = os.listdir(parent)
    except OSError:
        return swept
    for name in names:
        path = os.path.join(parent, name)
        if name.startswith(PREFIX) and os.path.isdir(path) and not os.path.islink(path) and not owner_alive(path):
            take_down(path)
            swept.append(path)
    return swept


def take_down(path: str) -> None:
    """Kill the runc containers recorded under ``path`` and what is left in its cgroups, remove
    those, detach its mounts, remove it."""
    from twelvecheck.build import cgroup

    _delete_runc_containers(os.path.join(path, RUNC_STATE))
    cgroup.remove_recorded(path)
    for mount_point in mounts_under(path):
        _detach(mount_point)
    shutil.rmtree(path, ignore_errors=True)


def _delete_runc_containers(state: str) -> None:
    if not os.path.isdir(state) or shutil.which("runc") is None:
        return
    for container in os.listdir(state):
        for action in (["kill", container, "KILL"], ["delete", "--force", container]):
            subprocess.run(["runc", "--root", state, *action], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=30, check=False)


def mounts_under(path: str) -> list[str]:
    """Mount points at or below ``path``, deepest first."""
    root = os.path.realpath(path)
    found = []
    try:
        with open("/proc/self/mountinfo", "rb") as handle:
            lines = handle.read().decode("utf-8", "surrogateescape").splitlines()
    except OSError:
        return found
    for line in lines:
        fields = line.split()
        if len(fields) > 4:
            point = _unescape(fields[4])
            if point == root or point.startswith(root + "/"):
                found.append(point)
    return sorted(found, key=len, reverse=True)


def _unescape(text: str) -> str:
    """mountinfo writes space, tab, newline and backslash as ``\\ooo``."""
    out, index = [], 0
    while index < len(text):
        if text[index] == "\\" and text[index + 1:index + 4].isdigit():
            out.append(chr(int(text[index + 1:index + 4], 8)))
            index += 4
        else:
            out.append(text[index])
            index += 1
    return "".join(out)


def _detach(mount_point: str) -> None:
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    libc.umount2(os.fsencode(mount_point), _MNT_DETACH)


def _start_reaper(path: str) -> tuple[subprocess.Popen, int] | None:
    read_end, write_end = os.pipe()
    try:
        process = subprocess.Popen([sys.executable, "-I", "-S", os.path.abspath(__file__), path],
                                   stdin=read_end, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   start_new_session=True, close_fds=True)
    except OSError:
        os.close(write_end)
        return None
    finally:
        os.close(read_end)
    os.set_inheritable(write_end, False)
    return process, write_end


def _reap(path: str) -> None:
    """The reaper: wait for end-of-file on stdin; unless told ``done``, take ``path`` down."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    received = b""
    while True:
        chunk = os.read(0, 64)
        if not chunk:
            break
        received += chunk
    if received != b"done":
        take_down(path)


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    _reap(sys.argv[1])
