"""What a running container did, read from the host's ``/proc`` and the overlay's upper directory.

Everything here reads the sandbox from outside, never through it: ``/proc/PID/net/*`` of the
container's first process is the table of *its* network namespace (not the host's), the process
tree is every host process descending from that first process (with its pid as the container
numbers it, from ``NSpid``), and a socket belongs to a process when one of its descriptors links
to the socket's inode. Files written during the run are exactly what overlayfs copied or created
in the upper directory; each is compared with the image's own file in the lower directory.
"""

from __future__ import annotations

import os
import socket
import stat
from dataclasses import dataclass

# /proc/net/tcp states (include/net/tcp_states.h): 0A is LISTEN; a bound UDP socket shows 07 (CLOSE).
_TCP_LISTEN = "0A"
_UDP_BOUND = "07"
# Mount points the runtimes create for themselves: not the app's writes.
_RUNTIME_PATHS = ("proc", "dev", "sys")


@dataclass(frozen=True)
class Listener:
    proto: str  # tcp or udp
    address: str
    port: int
    inode: int
    pid: int | None = None  # the owning process, as the container numbers it
    argv: tuple[str, ...] = ()


@dataclass(frozen=True)
class Process:
    pid: int  # as the container numbers it
    ppid: int
    argv: tuple[str, ...]
    host_pid: int


@dataclass(frozen=True)
class Written:
    path: str
    size: int
    before: int | None  # the image's size of that file; None when the run created it

    @property
    def kind(self) -> str:
        if self.before is None:
            return "created"
        return "grown" if self.size > self.before else "rewritten"


def _address(hex_address: str) -> tuple[str, int]:
    host, _, port = hex_address.partition(":")
    raw = bytes.fromhex(host)
    if len(raw) == 4:
        text = socket.inet_ntop(socket.AF_INET, raw[::-1])
    else:  # four little-endian 32-bit words
        text = socket.inet_ntop(socket.AF_INET6, b"".join(raw[i:i + 4][::-1] for i in range(0, 16, 4)))
    return text, int(port, 16)


def listeners(init_pid: int) -> list[Listener]:
    """The TCP sockets listening and UDP sockets bound in the namespace of ``init_pid``."""
    found: dict[tuple[str, int, str], Listener] = {}
    for name, proto, state in (("tcp", "tcp", _TCP_LISTEN), ("tcp6", "tcp", _TCP_LISTEN),
                               ("udp", "udp", _UDP_BOUND), ("udp6", "udp", _UDP_BOUND)):
        try:
            with open(f"/proc/{init_pid}/net/{name}", encoding="ascii") as table:
                rows = table.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            if len(fields) < 10 or fields[3] != state:
                continue
            address, port = _address(fields[1])
            if proto == "udp" and _address(fields[2])[1] != 0:
                continue  # a connected UDP socket is a client
            found.setdefault((proto, port, address), Listener(proto, address, port, int(fields[9])))
    return sorted(found.values(), key=lambda item: (item.port, item.proto, item.address))


def process_tree(init_pid: int) -> list[Process]:
    """``init_pid`` and every process descending from it, in container pid order."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                text = handle.read()
        except OSError:
            continue
        after = text[text.rfind(b")") + 2:].split()
        if len(after) > 1:
            parents[int(entry)] = int(after[1])
    members = {init_pid} if init_pid in parents else set()
    grew = True
    while grew:
        grew = False
        for pid, ppid in parents.items():
            if ppid in members and pid not in members:
                members.add(pid)
                grew = True
    tree = []
    for pid in members:
        inner = _namespace_pid(pid)
        if inner is None:
            continue
        parent = _namespace_pid(parents[pid]) if pid != init_pid else 0
        tree.append(Process(inner, parent or 0, _argv(pid), pid))
    return sorted(tree, key=lambda process: process.pid)


def _namespace_pid(host_pid: int) -> int | None:
    try:
        with open(f"/proc/{host_pid}/status", encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if line.startswith("NSpid:"):
                    return int(line.split()[-1])
    except (OSError, ValueError):
        return None
    return None


def _argv(host_pid: int) -> tuple[str, ...]:
    try:
        with open(f"/proc/{host_pid}/cmdline", "rb") as handle:
            raw = handle.read()
    except OSError:
        return ()
    if not raw:  # a kernel thread or a zombie: fall back to its name
        try:
            with open(f"/proc/{host_pid}/comm", encoding="utf-8", errors="replace") as handle:
                return (f"[{handle.read().strip()}]",)
        except OSError:
            return ()
    return tuple(part.decode("utf-8", "replace") for part in raw.rstrip(b"\0").split(b"\0"))


def owners(found: list[Listener], tree: list[Process]) -> list[Listener]:
    """``found`` with the process holding each socket (the first in pid order)."""
    by_inode: dict[int, Process] = {}
    for process in tree:
        try:
            names = os.listdir(f"/proc/{process.host_pid}/fd")
        except OSError:
            continue
        for name in names:
            try:
                target = os.readlink(f"/proc/{process.host_pid}/fd/{name}")
            except OSError:
                continue
            if target.startswith("socket:["):
                by_inode.setdefault(int(target[8:-1]), process)
    result = []
    for item in found:
        owner = by_inode.get(item.inode)
        result.append(Listener(item.proto, item.address, item.port, item.inode,
                               owner.pid if owner else None, owner.argv if owner else ()))
    return result


def written(upper: str, lower: str) -> list[Written]:
    """Regular files the run created or changed, from the overlay's upper directory."""
    result = []
    for directory, subdirs, files in os.walk(upper):
        rel_dir = os.path.relpath(directory, upper)
        if rel_dir == ".":
            subdirs[:] = [name for name in subdirs if name not in _RUNTIME_PATHS]
        for name in files:
            path = os.path.join(directory, name)
            try:
                st = os.lstat(path)
            except OSError:
                continue
            if not stat.S_ISREG(st.st_mode):
                continue  # whiteouts (char 0/0), symlinks, fifos
            rel = os.path.normpath(os.path.join(rel_dir, name))
            try:
                before = os.lstat(os.path.join(lower, rel))
                size_before = before.st_size if stat.S_ISREG(before.st_mode) else None
            except OSError:
                size_before = None
            result.append(Written("/" + rel, st.st_size, size_before))
    return sorted(result, key=lambda item: item.path)
