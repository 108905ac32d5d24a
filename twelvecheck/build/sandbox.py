"""Running a RUN step (or, later, an image's command) inside a rootfs with a real sandbox runtime.

We do not build isolation ourselves: bubblewrap (``bwrap``) or runc, whichever is installed,
gives new pid, ipc, uts, mount and network namespaces (only ``lo``) with the rootfs as ``/``,
``/proc`` and a minimal ``/dev``.  bubblewrap cannot switch to another uid without a user
namespace that maps only that uid (so files would be owned by the wrong user), so steps running as
a non-root USER go to runc.

What a step may do, on both runtimes (docs/builder.md, "The RUN sandbox", says why):

- capabilities: exactly ``CAPABILITIES`` (a subset of Docker's default set; bwrap as uid 0 would
  otherwise keep all of host root's), none effective for a non-root USER; no new privileges;
- the system-call filter of seccomp.py (Docker's default profile's effect);
- ``/proc/sys``, ``/proc/sysrq-trigger``, ``/proc/irq``, ``/proc/bus``, ``/proc/fs`` read-only and
  runc's masked paths (``/proc/kcore``, ``/proc/keys``, ``/proc/timer_list``…) hidden: root in
  the sandbox still has uid 0, and writing a sysctl is checked on the uid, not on a capability;
- limits (``Limits``): processes, memory, wall-clock time.  Processes and memory go to a cgroup
  of the step's own (cgroup.py: v1 or delegated v2, whichever has the controller), which also
  tells afterwards whether the limit was hit; without one, to ``RLIMIT_NPROC`` and
  ``RLIMIT_DATA`` (per process; host uid 0 ignores ``RLIMIT_NPROC`` even inside a user
  namespace, so then only a non-root run has a process limit).  ``Container.enforcement`` says
  which was used.  The time limit kills the whole tree.
- under bwrap as root, a user namespace that maps every uid to itself: files keep their owners,
  but the step's capabilities count only inside it, so checks made against the host's (loading a
  module, mknod, most sysctls) fail even for a capability we would grant by mistake.  runc runs a
  non-root USER, which never gets uid 0 back (no new privileges), so it needs none.

Secrets and the environment reach the runtime through its process environment (bwrap) or the
bundle's ``config.json`` in the private work directory (runc), never its command line.  Mount
points the runtime had to create in the rootfs (directories, and the empty file a file bind such
as a secret needs) are removed afterwards and their parents' times restored, walking from the
rootfs with ``O_NOFOLLOW`` directory descriptors, so a step that replaced a parent with a symlink
cannot make the cleanup touch anything outside the rootfs.

``Container`` (start, signal, wait, kill, close) is the entry point for anything that runs a
process in a rootfs; ``run()`` is a RUN step: start, stream output, wait with the time limit.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import json
import os
import resource
import selectors
import shutil
import signal
import stat
import threading
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass
from typing import Callable

from twelvecheck.build import cgroup, seccomp, workdir

RUNTIMES = ("bwrap", "runc")
# A subset of Docker's default set: enough for package managers, chown and setuid binaries.
# Left out of Docker's: CAP_MKNOD (device nodes), CAP_NET_RAW (raw sockets), CAP_AUDIT_WRITE.
CAPABILITIES = ("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_SETGID", "CAP_SETUID",
                "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL")
READONLY_PROC = ("/proc/sys", "/proc/sysrq-trigger", "/proc/irq", "/proc/bus", "/proc/fs")
MASKED_PATHS = ("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
                "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware")
_INSTALL_HINT = "install one: apt-get install bubblewrap (or: apt-get install runc)"
_ALWAYS_MOUNTED = ("proc", "dev")
_CLONE_NEWUSER = 0x10000000
_PR_SET_PDEATHSIG = 1
_KILL_GRACE_SECONDS = 5


class SandboxError(RuntimeError):
    pass


class RunTimeout(SandboxError):
    pass


class LimitExceeded(SandboxError):
    pass


@dataclass(frozen=True)
class Mount:
    target: str  # absolute path inside the container
    kind: str  # 'bind' or 'tmpfs'
    source: str = ""  # host directory for 'bind'
    readonly: bool = False


@dataclass(frozen=True)
class RunSpec:
    rootfs: str
    argv: tuple[str, ...]
    env: tuple[str, ...]
    cwd: str = "/"
    uid: int = 0
    gid: int = 0
    extra_gids: tuple[int, ...] = ()
    network: str = "none"  # or 'host'
    mounts: tuple[Mount, ...] = ()
    hostname: str = "twelvecheck"


@dataclass(frozen=True)
class Limits:
    """Per step: tasks (processes and threads), memory in bytes, wall-clock seconds."""

    pids: int = 2048
    memory: int = 4 << 30
    timeout: float = 3600.0

    def describe(self) -> str:
        return (f"{self.pids} processes (--pids-limit), {format_bytes(self.memory)} of memory (--memory), "
                f"{self.timeout:g} s (--timeout)")


def format_bytes(size: int) -> str:
    for unit, shift in (("g", 30), ("m", 20), ("k", 10)):
        if size >= 1 << shift and size % (1 << shift) == 0:
            return f"{size >> shift}{unit}"
    return str(size)


def parse_size(text: str) -> int:
    """``512m``, ``2g``, ``1048576`` (bytes) as Docker's ``--memory`` takes them."""
    units = {"b": 0, "k": 10, "m": 20, "g": 30, "t": 40}
    value = text.strip().lower().removesuffix("b") if text.strip().lower()[-2:-1] in units else text.strip().lower()
    shift = units.get(value[-1:], None)
    number = value[:-1] if shift is not None else value
    try:
        size = int(float(number) * (1 << (shift or 0)))
    except ValueError:
        raise ValueError(f"{text!r} is not a size (use e.g. 512m or 2g)") from None
    if size < 1 << 20:
        raise ValueError(f"{text!r} is too small (at least 1m)")
    return size


def parse_duration(text: str) -> float:
    """``90``, ``90s``, ``10m``, ``2h``."""
    value = text.strip().lower()
    factor = {"s": 1, "m": 60, "h": 3600}.get(value[-1:], None)
    try:
        seconds = float(value[:-1] if factor else value) * (factor or 1)
    except ValueError:
        raise ValueError(f"{text!r} is not a duration (use e.g. 600, 10m or 2h)") from None
    if seconds <= 0:
        raise ValueError(f"{text!r} must be positive")
    return seconds


def choose_runtime(spec: RunSpec, preferred: str | None = None) -> str:
    installed = [name for name in RUNTIMES if shutil.which(name)]
    if preferred:
        if preferred not in installed:
            raise SandboxError(f"RUN needs {preferred}, which is not installed: apt-get install "
                               f"{'bubblewrap' if preferred == 'bwrap' else preferred}")
        return preferred
    if not installed:
        raise SandboxError(f"RUN needs a sandbox runtime and neither bwrap nor runc is installed; {_INSTALL_HINT}")
    if spec.uid != 0 or spec.gid != 0 or spec.extra_gids:
        if "runc" not in installed:
            raise SandboxError("RUN as a non-root USER needs runc (bubblewrap cannot switch uid "
                               "faithfully): apt-get install runc")
        return "runc"
    return installed[0]


class Container:
    """One process tree in a rootfs: ``start()``, ``signal()``, ``wait(timeout)``, ``kill()``
    (the whole tree: its pid namespace dies with its first process), ``close()`` (kill if still
    running, remove the mount points the runtime created, free the scratch directory).

    ``work`` is a private directory (``workdir.work_dir()``) that holds runc's state, the bundle
    and the list of cgroups, so its reaper (started here) can find and kill what is left if
    twelvecheck itself is killed."""

    def __init__(self, spec: RunSpec, *, runtime: str | None = None, limits: Limits = Limits(),
                 work: str | None = None):
        self.spec = spec
        self.limits = limits
        self.runtime = choose_runtime(spec, runtime)
        self.work = work
        self.process: subprocess.Popen | None = None
        self.name = f"twelvecheck-{uuid.uuid4().hex[:12]}"
        self.enforcement = ""
        self._scratch: str | None = None
        self._cgroups: cgroup.StepCgroups | None = None
        self._child_pid: int | None = None
        self._created: list[str] = []
        self._parents: dict[str, tuple[int, int]] = {}
        self._closed = False

    # -- lifecycle ------------------------------------------------------------------------
    def start(self, stdout=subprocess.PIPE, stderr=subprocess.STDOUT) -> Container:
        if self.work:
            workdir.guard(self.work)
        self._scratch = tempfile.mkdtemp(prefix="run-", dir=self.work)
        self._created, self._parents = mount_points_to_create(self.spec)
        try:
            self._cgroups = cgroup.StepCgroups(self.name, self.work or self._scratch, self.limits.pids,
                                               self.limits.memory)
            self.enforcement = self._describe_enforcement()
            if self.runtime == "bwrap":
                self._start_bwrap(stdout, stderr)
            else:
                self._start_runc(stdout, stderr)
        except BaseException:
            self.close()
            raise
        return self

    def signal(self, signum: int) -> None:
        """Send ``signum`` to the container's first process (pid 1 in its namespace)."""
        if self.process is None or self.process.poll() is not None:
            return
        if self.runtime == "bwrap":
            if self._child_pid:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self._child_pid, signum)
        else:
            self._runc("kill", self.name, str(int(signum)))

    def wait(self, timeout: float | None = None) -> int | None:
        """The exit status (128+N for signal N, as a shell reports it), or None on timeout."""
        try:
            status = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            return None
        return 128 - status if status < 0 else status

    def limits_hit(self, status: int) -> list[str]:
        """The limits the tree that ended with ``status`` ran into ('pids', 'memory'), as far as
        cgroups tell."""
        return self._cgroups.events(status == 128 + signal.SIGKILL) if self._cgroups else []

    def _describe_enforcement(self) -> str:
        controllers = self._cgroups.controllers
        others = [name for controller, name in (("pids", "RLIMIT_NPROC"), ("memory", "RLIMIT_DATA"))
                  if controller not in controllers]
        parts = [f"cgroups ({', '.join(controllers)})"] if controllers else []
        if others:
            parts.append(f"rlimits ({', '.join(others)})" if self.runtime == "bwrap" else "runc's cgroups")
        return "; ".join(parts)

    def kill(self) -> None:
        """Kill the whole tree and wait until the runtime is gone."""
        if self.process is None:
            return
        if self.process.poll() is None:
            if self.runtime == "runc":
                self._runc("kill", self.name, "KILL")
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self.process.wait(_KILL_GRACE_SECONDS)
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()  # bwrap: its child dies with it (--die-with-parent)
            self.process.wait()
        if self.runtime == "bwrap" and self._child_pid:
            _wait_gone(self._child_pid)
        elif self.runtime == "runc" and os.path.isdir(os.path.join(self._state_dir(), self.name)):
            self._runc("delete", "--force", self.name)  # runc run deletes it itself unless killed
        if self._cgroups:
            self._cgroups.kill_all()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self.kill()
        finally:
            if self.process is not None and self.process.stdout is not None:
                self.process.stdout.close()
            if self._cgroups:
                self._cgroups.remove()
            remove_mount_points(self.spec.rootfs, self._created, self._parents)
            if self._scratch:
                shutil.rmtree(self._scratch, ignore_errors=True)

    def __enter__(self) -> Container:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- bubblewrap -----------------------------------------------------------------------
    def _start_bwrap(self, stdout, stderr) -> None:
        filter_fd = os.memfd_create("twelvecheck-seccomp", 0)
        info_read, info_write = os.pipe()
        userns = _identity_user_namespace() if os.geteuid() == 0 else None
        try:
            os.write(filter_fd, seccomp.bpf_program())
            os.lseek(filter_fd, 0, os.SEEK_SET)
            argv = bwrap_argv(self.spec, seccomp_fd=filter_fd, info_fd=info_write, userns_fd=userns)
            fds = (filter_fd, info_write) + ((userns,) if userns is not None else ())
            self.process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr,
                                            env=_environment(self.spec.env), pass_fds=fds,
                                            preexec_fn=functools.partial(_child_setup, self.limits, self._cgroups))
        finally:
            for fd in (filter_fd, info_write) + ((userns,) if userns is not None else ()):
                os.close(fd)
        with os.fdopen(info_read, "rb") as info:
            text = info.read()
        with contextlib.suppress(ValueError, AttributeError):
            self._child_pid = int(json.loads(text or b"{}").get("child-pid"))

    # -- runc -----------------------------------------------------------------------------
    def _start_runc(self, stdout, stderr) -> None:
        bundle = os.path.join(self._scratch, "bundle")
        os.mkdir(bundle, 0o700)
        handle = os.open(os.path.join(bundle, "config.json"), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(handle, "w") as config:
            json.dump(runtime_spec(self.spec, self.limits, self._cgroups.controllers), config)
        self.process = subprocess.Popen(["runc", "--root", self._state_dir(), "run", "--bundle", bundle, self.name],
                                        stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr,
                                        preexec_fn=functools.partial(_child_setup, self.limits, self._cgroups, rlimits=False))

    def _state_dir(self) -> str:
        return os.path.join(self.work or self._scratch, workdir.RUNC_STATE)

    def _runc(self, *args: str) -> None:
        subprocess.run(["runc", "--root", self._state_dir(), *args], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=30, check=False)


def run(spec: RunSpec, output: Callable[[str], None], runtime: str | None = None, *,
        limits: Limits = Limits(), work: str | None = None) -> int:
    """Run ``spec.argv``; stream its combined output line by line; return its exit status.
    Past ``limits.timeout`` the whole tree is killed and RunTimeout raised."""
    with Container(spec, runtime=runtime, limits=limits, work=work) as container:
        container.start()
        deadline = time.monotonic() + limits.timeout
        _stream_lines(container.process.stdout, output, deadline)
        status = container.wait(max(0.0, deadline - time.monotonic()))
        if status is None:
            raise RunTimeout(f"killed after {limits.timeout:g} s (--timeout)")
        hit = container.limits_hit(status) if status != 0 else []
        if "pids" in hit:
            raise LimitExceeded(f"exited with status {status} after reaching the limit of {limits.pids} "
                                f"processes (--pids-limit; held by {container.enforcement})")
        if "memory" in hit:
            raise LimitExceeded(f"exited with status {status} after reaching the memory limit of "
                                f"{format_bytes(limits.memory)} (--memory; held by {container.enforcement})")
        return status


def _stream_lines(pipe, output: Callable[[str], None], deadline: float) -> None:
    fd = pipe.fileno()
    pending = b""
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not selector.select(left):
                break
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            *lines, pending = (pending + chunk).split(b"\n")
            for line in lines:
                output(line.decode("utf-8", "replace"))
    if pending:
        output(pending.decode("utf-8", "replace"))


def _environment(env: tuple[str, ...]) -> dict[str, str]:
    pairs = {}
    for entry in env:
        name, _, value = entry.partition("=")
        pairs[name] = value
    return pairs


def _child_setup(limits: Limits, cgroups: cgroup.StepCgroups, *, rlimits: bool = True) -> None:
    """In the runtime's process before exec: die with twelvecheck; enter the step's cgroups;
    the rlimits for the limits no cgroup holds (they only ever lower the inherited values, which
    needs no privilege)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    cgroups.enter()
    if rlimits:
        for controller, kind, value in (("pids", resource.RLIMIT_NPROC, limits.pids),
                                        ("memory", resource.RLIMIT_DATA, limits.memory)):
            if controller in cgroups.controllers:
                continue
            soft, hard = resource.getrlimit(kind)
            value = value if hard == resource.RLIM_INFINITY else min(value, hard)
            resource.setrlimit(kind, (value, value))


def _wait_gone(pid: int, seconds: float = _KILL_GRACE_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while os.path.exists(f"/proc/{pid}") and time.monotonic() < deadline:
        time.sleep(0.01)


_FORK_LOCK = threading.Lock()


def _identity_user_namespace() -> int | None:
    """A descriptor of a new user namespace mapping every uid and gid to itself, or None when the
    kernel refuses one (user namespaces disabled).  A forked child unshares; we write its maps.

    One at a time: the child waits for the end of its pipe, and a child forked meanwhile by
    another thread (verify --run starts two containers at once) would inherit that end and hold
    it open, so each child would wait for the other forever."""
    with _FORK_LOCK:
        return _identity_user_namespace_unlocked()


def _identity_user_namespace_unlocked() -> int | None:
    unshare = ctypes.CDLL(None, use_errno=True).unshare  # looked up before fork: the child only calls
    flags = ctypes.c_int(_CLONE_NEWUSER)
    ready_read, ready_write = os.pipe()
    done_read, done_write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            os.close(ready_read)
            os.close(done_write)
            os.write(ready_write, b"1" if unshare(flags) == 0 else b"0")
            os.read(done_read, 1)
        finally:
            os._exit(0)
    os.close(ready_write)
    os.close(done_read)
    try:
        if os.read(ready_read, 1) != b"1":
            return None
        for name in ("uid_map", "gid_map"):
            with open(f"/proc/{pid}/{name}", "w") as handle:
                handle.write("0 0 4294967295\n")
        return os.open(f"/proc/{pid}/ns/user", os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return None
    finally:
        os.close(ready_read)
        os.close(done_write)
        os.waitpid(pid, 0)


# -- mount points -------------------------------------------------------------------------------
def _target_parts(target: str) -> list[str]:
    return [part for part in os.path.normpath("/" + target).split("/") if part not in ("", ".", "..")]


def _open_dir(root_fd: int, parts: list[str]) -> int:
    """``parts`` below ``root_fd`` as a directory descriptor; OSError if any is not a real directory."""
    fd = os.dup(root_fd)
    try:
        for part in parts:
            child = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=fd)
            os.close(fd)
            fd = child
    except BaseException:
        os.close(fd)
        raise
    return fd


def mount_points_to_create(spec: RunSpec) -> tuple[list[str], dict[str, tuple[int, int]]]:
    """The mount points (relative paths) the runtime will have to create, and the times of the
    existing directories it creates them in.  A path below a symlink is not ours to track."""
    targets = [[name] for name in _ALWAYS_MOUNTED] + [_target_parts(mount.target) for mount in spec.mounts]
    created: list[str] = []
    parents: dict[str, tuple[int, int]] = {}
    root_fd = os.open(spec.rootfs, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        for parts in targets:
            for depth in range(len(parts)):
                try:
                    directory = _open_dir(root_fd, parts[:depth])
                except OSError:
                    break
                try:
                    os.stat(parts[depth], dir_fd=directory, follow_symlinks=False)
                except FileNotFoundError:
                    parent = "/".join(parts[:depth])
                    if parent not in created and parent not in parents:
                        st = os.fstat(directory)
                        parents[parent] = (st.st_atime_ns, st.st_mtime_ns)
                    for deeper in range(depth + 1, len(parts) + 1):
                        rel = "/".join(parts[:deeper])
                        if rel not in created:
                            created.append(rel)
                    break
                finally:
                    os.close(directory)
    finally:
        os.close(root_fd)
    return created, parents


def remove_mount_points(rootfs: str, created: list[str], parents: dict[str, tuple[int, int]]) -> None:
    """Remove the empty directories and empty placeholder files the runtime created, deepest
    first, then restore the parents' times; never through a symlink, never outside ``rootfs``."""
    try:
        root_fd = os.open(rootfs, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return
    try:
        for rel in sorted(created, key=lambda path: path.count("/"), reverse=True):
            *parent, name = rel.split("/")
            try:
                directory = _open_dir(root_fd, parent)
            except OSError:
                continue  # the step replaced a parent by a symlink or a file: leave it as it is
            try:
                st = os.stat(name, dir_fd=directory, follow_symlinks=False)
                if stat.S_ISREG(st.st_mode) and st.st_size == 0:
                    os.unlink(name, dir_fd=directory)
                elif stat.S_ISDIR(st.st_mode):
                    os.rmdir(name, dir_fd=directory)
            except OSError:  # the step put something there: keep it
                pass
            finally:
                os.close(directory)
        for rel, times in parents.items():
            try:
                directory = _open_dir(root_fd, rel.split("/") if rel else [])
            except OSError:
                continue
            try:
                os.utime(directory, ns=times)
            finally:
                os.close(directory)
    finally:
        os.close(root_fd)


# -- runtime arguments --------------------------------------------------------------------------
def bwrap_argv(spec: RunSpec, *, seccomp_fd: int, info_fd: int, userns_fd: int | None = None) -> list[str]:
    """bwrap's command line: no environment values here (they go through its own environment,
    which only the same user can read), so secrets never show in ``ps``."""
    argv = ["bwrap"]
    if userns_fd is not None:
        argv += ["--userns", str(userns_fd)]
    elif os.geteuid() != 0:
        argv += ["--unshare-user"]
    argv += ["--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
             "--die-with-parent", "--new-session", "--as-pid-1", "--hostname", spec.hostname]
    if spec.network != "host":
        argv.append("--unshare-net")
    argv += ["--cap-drop", "ALL"]
    for capability in CAPABILITIES:
        argv += ["--cap-add", capability]
    argv += ["--bind", spec.rootfs, "/", "--proc", "/proc", "--dev", "/dev"]
    for path in READONLY_PROC:
        if os.path.exists(path):
            argv += ["--ro-bind", path, path]
    for path in MASKED_PATHS:
        if not path.startswith("/proc/") or not os.path.exists(path):
            continue  # /sys is not mounted in the sandbox
        if os.path.isdir(path):
            argv += ["--tmpfs", path, "--remount-ro", path]
        else:
            argv += ["--ro-bind", "/dev/null", path]
    for mount in spec.mounts:
        if mount.kind == "tmpfs":
            argv += ["--tmpfs", mount.target]
        else:
            argv += ["--ro-bind" if mount.readonly else "--bind", mount.source, mount.target]
    argv += ["--seccomp", str(seccomp_fd), "--info-fd", str(info_fd)]
    return argv + ["--chdir", spec.cwd, "--", *spec.argv]


def runtime_spec(spec: RunSpec, limits: Limits = Limits(), own_cgroups: tuple[str, ...] = ()) -> dict:
    """An OCI runtime spec (config.json) for runc: no rlimits (root here lacks CAP_SYS_RESOURCE
    to raise any); the limits our own cgroups (``own_cgroups``, which runc's cgroup nests in) do
    not hold go to runc's; a non-root user gets no effective capabilities."""
    resources = {}
    if "pids" not in own_cgroups:
        resources["pids"] = {"limit": limits.pids}
    if "memory" not in own_cgroups:
        resources["memory"] = {"limit": limits.memory}
    namespaces = [{"type": kind} for kind in ("pid", "ipc", "uts", "mount")]
    if spec.network != "host":
        namespaces.append({"type": "network"})
    capabilities = list(CAPABILITIES)
    granted = capabilities if spec.uid == 0 else []
    return {
        "ociVersion": "1.0.2",
        "process": {
            "terminal": False,
            "user": {"uid": spec.uid, "gid": spec.gid, "additionalGids": list(spec.extra_gids)},
            "args": list(spec.argv),
            "env": list(spec.env),
            "cwd": spec.cwd,
            "capabilities": {"bounding": capabilities, "effective": granted, "permitted": granted,
                             "inheritable": [], "ambient": []},
            "noNewPrivileges": True,
        },
        "root": {"path": os.path.abspath(spec.rootfs), "readonly": False},
        "hostname": spec.hostname,
        "mounts": [
            {"destination": "/proc", "type": "proc", "source": "proc"},
            {"destination": "/dev", "type": "tmpfs", "source": "tmpfs",
             "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
            {"destination": "/dev/pts", "type": "devpts", "source": "devpts",
             "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"]},
            {"destination": "/dev/shm", "type": "tmpfs", "source": "shm",
             "options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]},
            *(_runc_mount(mount) for mount in spec.mounts),
        ],
        "linux": {
            "namespaces": namespaces,
            "resources": resources,
            "seccomp": seccomp.oci_profile(),
            "maskedPaths": list(MASKED_PATHS),
            "readonlyPaths": list(READONLY_PROC),
        },
    }


def _runc_mount(mount: Mount) -> dict:
    if mount.kind == "tmpfs":
        return {"destination": mount.target, "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "nodev"]}
    return {"destination": mount.target, "type": "bind", "source": mount.source,
            "options": ["rbind", "ro" if mount.readonly else "rw"]}

