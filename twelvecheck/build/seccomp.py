"""The RUN sandbox's system-call filter: the effect of Docker's default seccomp profile for a
container without CAP_SYS_ADMIN, as a deny list.

Denied with EPERM: mounting and the new mount API, module loading, raw I/O ports (iopl, ioperm),
kexec, reboot, swap, ptrace and reading or writing other processes' memory, the kernel keyring
(add_key, keyctl, request_key), bpf, perf_event_open, userfaultfd, io_uring, setting the clock,
quotas, accounting, syslog, open_by_handle_at, and namespace creation: unshare, setns, and clone
with any CLONE_NEW* flag.  clone3 answers ENOSYS, as under Docker, so the C library falls back to
clone, whose flags the filter can see.  Everything else is allowed: a RUN step is a build
script, not a service, and package managers need the ordinary rest.

Two forms of the same list: ``bpf_program()`` is a classic-BPF program (``struct sock_filter``)
for ``bwrap --seccomp FD``, which first checks the architecture in ``seccomp_data.arch`` (a system
call made through another ABI, such as 32-bit ``int 0x80`` on x86_64, kills the process) and
refuses x32 calls; ``oci_profile()`` is the ``linux.seccomp`` object of a runc ``config.json``,
where runc's libseccomp resolves the names.
"""

from __future__ import annotations

import errno
import platform
import struct

# name: (x86_64 number, aarch64 number or None when the call does not exist there)
DENIED: dict[str, tuple[int, int | None]] = {
    "acct": (163, 89), "add_key": (248, 217), "bpf": (321, 280), "clock_adjtime": (305, 266),
    "clock_settime": (227, 112), "settimeofday": (164, 170), "create_module": (174, None),
    "delete_module": (176, 106), "finit_module": (313, 273), "init_module": (175, 105),
    "get_kernel_syms": (177, None), "query_module": (178, None), "iopl": (172, None),
    "ioperm": (173, None), "kcmp": (312, 272), "kexec_file_load": (320, 294), "kexec_load": (246, 104),
    "keyctl": (250, 219), "request_key": (249, 218), "lookup_dcookie": (212, 18), "mount": (165, 40),
    "umount2": (166, 39), "move_mount": (429, 429), "fsopen": (430, 430), "fsconfig": (431, 431),
    "fsmount": (432, 432), "fspick": (433, 433), "open_tree": (428, 428), "mount_setattr": (442, 442),
    "open_by_handle_at": (304, 265), "nfsservctl": (180, 42), "perf_event_open": (298, 241),
    "pivot_root": (155, 41), "process_vm_readv": (310, 270), "process_vm_writev": (311, 271),
    "ptrace": (101, 117), "quotactl": (179, 60), "quotactl_fd": (443, 443), "reboot": (169, 142),
    "swapon": (167, 224), "swapoff": (168, 225), "sysfs": (139, None), "_sysctl": (156, None),
    "syslog": (103, 116), "uselib": (134, None), "userfaultfd": (323, 282), "ustat": (136, None),
    "unshare": (272, 97), "setns": (308, 268), "vhangup": (153, 58), "fanotify_init": (300, 262),
    "io_uring_setup": (425, 425), "io_uring_enter": (426, 426), "io_uring_register": (427, 427),
}
CLONE = {"x86_64": 56, "aarch64": 220}
CLONE3 = 435  # the same number on both
# CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET
CLONE_NAMESPACE_FLAGS = 0x7E020000

AUDIT_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}
_OCI_ARCH = {"x86_64": "SCMP_ARCH_X86_64", "aarch64": "SCMP_ARCH_AARCH64"}
_X32_BIT = 0x40000000

# classic BPF opcodes (linux/filter.h) and seccomp return values (linux/seccomp.h)
_LD_W_ABS = 0x20
_JEQ_K = 0x15
_JSET_K = 0x45
_RET_K = 0x06
_RET_KILL_PROCESS = 0x80000000
_RET_ERRNO = 0x00050000
_RET_ALLOW = 0x7FFF0000
_OFFSET_NR, _OFFSET_ARCH, _OFFSET_ARG0 = 0, 4, 16  # struct seccomp_data; arg0's low word (little-endian)


class UnsupportedArchitecture(RuntimeError):
    pass


def machine() -> str:
    name = platform.machine()
    if name not in AUDIT_ARCH:
        raise UnsupportedArchitecture(f"no seccomp filter for {name} (x86_64 and aarch64 have one)")
    return name


def denied_numbers(arch: str) -> list[int]:
    column = 0 if arch == "x86_64" else 1
    return sorted({numbers[column] for numbers in DENIED.values() if numbers[column] is not None})


def bpf_program(arch: str | None = None) -> bytes:
    """The filter as the bytes of a ``struct sock_filter`` array."""
    arch = arch or machine()
    numbers = denied_numbers(arch)
    # layout: [arch check] [x32 check] [load nr] [one jeq per denied nr] [clone] [clone3]
    #         [load arg0, jset] then the returns ALLOW, EPERM, ENOSYS, KILL
    body: list[tuple[int, int, int, int]] = []
    returns = ("ALLOW", "EPERM", "ENOSYS", "KILL")
    jumps: list[tuple[int, str | None, str | None]] = []  # (index in body, true target, false target)

    def add(code: int, k: int, true: str | None = None, false: str | None = None) -> None:
        jumps.append((len(body), true, false))
        body.append((code, 0, 0, k))

    add(_LD_W_ABS, _OFFSET_ARCH)
    add(_JEQ_K, AUDIT_ARCH[arch], None, "KILL")
    add(_LD_W_ABS, _OFFSET_NR)
    if arch == "x86_64":
        add(_JSET_K, _X32_BIT, "EPERM", None)
    for number in numbers:
        add(_JEQ_K, number, "EPERM", None)
    add(_JEQ_K, CLONE3, "ENOSYS", None)
    add(_JEQ_K, CLONE[arch], None, "ALLOW")
    add(_LD_W_ABS, _OFFSET_ARG0)
    add(_JSET_K, CLONE_NAMESPACE_FLAGS, "EPERM", "ALLOW")
    positions = {name: len(body) + index for index, name in enumerate(returns)}
    program = []
    for (index, true, false), (code, _, _, k) in zip(jumps, body):
        jt = positions[true] - index - 1 if true else 0
        jf = positions[false] - index - 1 if false else 0
        if not (0 <= jt <= 255 and 0 <= jf <= 255):
            raise AssertionError("seccomp jump out of range")
        program.append(struct.pack("=HBBI", code, jt, jf, k))
    for value in (_RET_ALLOW, _RET_ERRNO | errno.EPERM, _RET_ERRNO | errno.ENOSYS, _RET_KILL_PROCESS):
        program.append(struct.pack("=HBBI", _RET_K, 0, 0, value))
    return b"".join(program)


def oci_profile(arch: str | None = None) -> dict:
    """The same rules as a runc ``linux.seccomp`` object (default allow)."""
    arch = arch or machine()
    names = sorted(name for name, numbers in DENIED.items() if numbers[0 if arch == "x86_64" else 1] is not None)
    syscalls = [{"names": names, "action": "SCMP_ACT_ERRNO", "errnoRet": errno.EPERM},
                {"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": errno.ENOSYS}]
    bit = 1
    while bit <= CLONE_NAMESPACE_FLAGS:
        if bit & CLONE_NAMESPACE_FLAGS:  # one rule per flag: libseccomp ANDs the conditions of a rule
            syscalls.append({"names": ["clone"], "action": "SCMP_ACT_ERRNO", "errnoRet": errno.EPERM,
                             "args": [{"index": 0, "value": bit, "valueTwo": bit, "op": "SCMP_CMP_MASKED_EQ"}]})
        bit <<= 1
    return {"defaultAction": "SCMP_ACT_ALLOW", "architectures": [_OCI_ARCH[arch]], "syscalls": syscalls}
