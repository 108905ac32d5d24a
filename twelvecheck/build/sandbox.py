"""Running a RUN step inside the stage's rootfs with a real sandbox runtime.

We do not build isolation ourselves: bubblewrap (``bwrap``) or runc, whichever is installed,
gives new pid, ipc, uts, mount and network namespaces with the rootfs as ``/``, ``/proc`` and a
minimal ``/dev``.  bubblewrap cannot switch to another uid without a user namespace that maps only
that uid (so files would be owned by the wrong user), so steps running as a non-root USER go to
runc.  Mount points the runtime had to create in the rootfs (directories, and the empty file a
file bind such as a secret needs) are removed afterwards and their parents' times restored, so
they do not end up in the layer.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from typing import Callable

RUNTIMES = ("bwrap", "runc")
# docker's default capability set: enough for package managers, chown and setuid binaries
_CAPABILITIES = ("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD",
                 "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
                 "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE")
_INSTALL_HINT = "install one: apt-get install bubblewrap (or: apt-get install runc)"
_ALWAYS_MOUNTED = ("proc", "dev")


class SandboxError(RuntimeError):
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


def run(spec: RunSpec, output: Callable[[str], None], runtime: str | None = None) -> int:
    """Run ``spec.argv``; stream its combined output line by line; return its exit status."""
    chosen = choose_runtime(spec, runtime)
    created = _missing_mount_points(spec)
    parents = _parent_times(spec.rootfs, created)
    try:
        with tempfile.TemporaryDirectory(prefix="twelvecheck-run-") as scratch:
            argv = _bwrap_argv(spec) if chosen == "bwrap" else _runc_argv(spec, scratch)
            process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                       stderr=subprocess.STDOUT)
            for line in process.stdout:
                output(line.decode("utf-8", "replace").rstrip("\n"))
            return process.wait()
    finally:
        _remove_empty(spec.rootfs, created)
        for path, (atime, mtime) in parents.items():
            os.utime(path, ns=(atime, mtime), follow_symlinks=False)


def _missing_mount_points(spec: RunSpec) -> list[str]:
    targets = [*_ALWAYS_MOUNTED, *(mount.target.strip("/") for mount in spec.mounts)]
    missing = []
    for target in targets:
        parts = target.split("/")
        for depth in range(1, len(parts) + 1):
            rel = "/".join(parts[:depth])
            if not os.path.lexists(os.path.join(spec.rootfs, rel)) and rel not in missing:
                missing.append(rel)
    return missing


def _parent_times(rootfs: str, created: list[str]) -> dict[str, tuple[int, int]]:
    """The times of the existing directories the runtime will create mount points in."""
    times = {}
    for rel in created:
        parent = os.path.dirname(rel)
        if parent not in created:
            path = os.path.join(rootfs, parent)
            st = os.lstat(path)
            times[path] = (st.st_atime_ns, st.st_mtime_ns)
    return times


def _remove_empty(rootfs: str, created: list[str]) -> None:
    for rel in sorted(created, key=len, reverse=True):
        path = os.path.join(rootfs, rel)
        try:
            if os.path.isfile(path) and not os.path.islink(path) and os.path.getsize(path) == 0:
                os.unlink(path)  # the placeholder a file bind was mounted on
            else:
                os.rmdir(path)
        except OSError:  # the command put something there, or it is not a directory: keep it
            pass


def _bwrap_argv(spec: RunSpec) -> list[str]:
    argv = ["bwrap", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
            "--die-with-parent", "--new-session", "--hostname", spec.hostname]
    if spec.network != "host":
        argv.append("--unshare-net")
    if os.geteuid() == 0:
        for capability in _CAPABILITIES:
            argv += ["--cap-add", capability]
    else:
        argv.append("--unshare-user")
    argv += ["--bind", spec.rootfs, "/", "--proc", "/proc", "--dev", "/dev"]
    for mount in spec.mounts:
        if mount.kind == "tmpfs":
            argv += ["--tmpfs", mount.target]
        else:
            argv += ["--ro-bind" if mount.readonly else "--bind", mount.source, mount.target]
    argv.append("--clearenv")
    for entry in spec.env:
        name, _, value = entry.partition("=")
        argv += ["--setenv", name, value]
    return argv + ["--chdir", spec.cwd, "--", *spec.argv]


def _runc_argv(spec: RunSpec, scratch: str) -> list[str]:
    bundle = os.path.join(scratch, "bundle")
    os.mkdir(bundle)
    with open(os.path.join(bundle, "config.json"), "w") as handle:
        json.dump(runtime_spec(spec), handle)
    return ["runc", "--root", os.path.join(scratch, "state"), "run", "--bundle", bundle,
            f"twelvecheck-{uuid.uuid4().hex[:12]}"]


def runtime_spec(spec: RunSpec) -> dict:
    """An OCI runtime spec (config.json) for runc: no rlimits (root here lacks CAP_SYS_RESOURCE)."""
    namespaces = [{"type": kind} for kind in ("pid", "ipc", "uts", "mount")]
    if spec.network != "host":
        namespaces.append({"type": "network"})
    capabilities = list(_CAPABILITIES)
    return {
        "ociVersion": "1.0.2",
        "process": {
            "terminal": False,
            "user": {"uid": spec.uid, "gid": spec.gid, "additionalGids": list(spec.extra_gids)},
            "args": list(spec.argv),
            "env": list(spec.env),
            "cwd": spec.cwd,
            "capabilities": {key: capabilities for key in ("bounding", "effective", "permitted")},
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
            "maskedPaths": ["/proc/kcore", "/proc/keys", "/proc/timer_list", "/proc/sched_debug"],
            "readonlyPaths": ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"],
        },
    }


def _runc_mount(mount: Mount) -> dict:
    if mount.kind == "tmpfs":
        return {"destination": mount.target, "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "nodev"]}
    return {"destination": mount.target, "type": "bind", "source": mount.source,
            "options": ["rbind", "ro" if mount.readonly else "rw"]}
