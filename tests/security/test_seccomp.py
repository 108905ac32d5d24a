"""The system-call filter: the BPF program itself, loaded into a forked child on this kernel, and
both runtimes refusing namespace creation and mounts inside a RUN step."""

import ctypes
import errno
import os
import platform

import pytest
from sandbox_attacks import RUNTIMES, build_failure, require_tool, write_context

from twelvecheck.build import seccomp

_PR_SET_NO_NEW_PRIVS = 38
_SECCOMP_SET_MODE_FILTER = 1
_NR = {"x86_64": {"seccomp": 317, "clone": 56, "getpid": 39}, "aarch64": {"seccomp": 277, "clone": 220, "getpid": 172}}
_CLONE_NEWNET, _SIGCHLD = 0x40000000, 17


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def _errno_of(libc, number, *args) -> int:
    ctypes.set_errno(0)
    result = libc.syscall(ctypes.c_long(number), *[ctypes.c_long(arg) for arg in args])
    return ctypes.get_errno() if result == -1 else 0


def test_the_filter_refuses_what_docker_refuses_on_this_kernel():
    arch = platform.machine()
    if arch not in _NR:
        pytest.skip(f"no system-call numbers for {arch} in this test")
    program = seccomp.bpf_program()
    column = 0 if arch == "x86_64" else 1
    numbers = {name: numbers[column] for name, numbers in seccomp.DENIED.items()}
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child loads the filter, tries the calls, reports the errnos
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            buffer = ctypes.create_string_buffer(program)
            prog = _SockFprog(len(program) // 8, ctypes.cast(buffer, ctypes.c_void_p))
            libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
            loaded = libc.syscall(ctypes.c_long(_NR[arch]["seccomp"]), ctypes.c_long(_SECCOMP_SET_MODE_FILTER),
                                  ctypes.c_long(0), ctypes.byref(prog))
            results = [str(loaded)]
            for name in ("unshare", "setns", "mount", "umount2", "keyctl", "add_key", "bpf", "perf_event_open",
                         "ptrace", "kexec_load", "init_module", "reboot", "swapon", "open_by_handle_at"):
                results.append(f"{name}={_errno_of(libc, numbers[name], 0, 0, 0, 0)}")
            results.append(f"clone3={_errno_of(libc, seccomp.CLONE3, 0, 0)}")
            results.append(f"clone_newnet={_errno_of(libc, _NR[arch]['clone'], _CLONE_NEWNET | _SIGCHLD, 0, 0, 0, 0)}")
            results.append(f"getpid={_errno_of(libc, _NR[arch]['getpid'])}")
            os.write(write_end, " ".join(results).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    report = os.read(read_end, 4096).decode().split()
    os.close(read_end)
    os.waitpid(pid, 0)
    assert report[0] == "0", "the filter did not load"
    results = dict(item.split("=") for item in report[1:])
    assert results.pop("clone3") == str(errno.ENOSYS)  # so the C library falls back to clone
    assert results.pop("getpid") == "0"
    assert results == {name: str(errno.EPERM) for name in results}


@pytest.mark.parametrize("runtime, package", RUNTIMES)
def test_namespace_creation_is_refused_in_a_run_step(tmp_path, busybox_base, runtime, package):
    require_tool(runtime, package)
    # as nobody under runc: an ordinary user could otherwise make a user namespace
    user = "USER nobody\n" if runtime == "runc" else ""
    context = write_context(tmp_path / "ctx", f"FROM busybox\n{user}RUN unshare -U -r true\n")
    message, lines = build_failure(context, busybox_base, tmp_path / "cache", runtime=runtime)
    assert "RUN exited with status 1: unshare -U -r true" in message
    assert any("Operation not permitted" in line for line in lines)
