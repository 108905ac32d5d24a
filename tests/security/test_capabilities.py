"""A RUN step keeps no dangerous capability: CapEff is our small set, and mknod of a block device,
mount, and writing a host sysctl all fail with a located build error."""

import pytest
from sandbox_attacks import RUNTIMES, build_failure, require_tool, write_context

from twelvecheck.build.sandbox import CAPABILITIES

# bit numbers of linux/capability.h
_BITS = {"CAP_CHOWN": 0, "CAP_DAC_OVERRIDE": 1, "CAP_FOWNER": 3, "CAP_FSETID": 4, "CAP_KILL": 5, "CAP_SETGID": 6,
         "CAP_SETUID": 7, "CAP_SETPCAP": 8, "CAP_NET_BIND_SERVICE": 10, "CAP_SYS_CHROOT": 18,
         "CAP_SETFCAP": 31}
_CAP_SYS_ADMIN, _CAP_MKNOD = 21, 27


@pytest.mark.parametrize("runtime, package", RUNTIMES)
def test_the_effective_set_is_the_small_one(tmp_path, busybox_base, runtime, package):
    require_tool(runtime, package)
    context = write_context(tmp_path / "ctx", "FROM busybox\nRUN grep CapEff /proc/self/status; exit 7\n")
    message, lines = build_failure(context, busybox_base, tmp_path / "cache", runtime=runtime)
    assert "line 2: RUN exited with status 7" in message
    effective = int(next(line for line in lines if "CapEff:" in line).split()[-1], 16)
    allowed = sum(1 << _BITS[name] for name in CAPABILITIES)
    assert effective == allowed
    assert not effective & (1 << _CAP_SYS_ADMIN | 1 << _CAP_MKNOD)


@pytest.mark.parametrize("runtime, package", RUNTIMES)
def test_mknod_of_a_block_device_fails(tmp_path, busybox_base, runtime, package):
    require_tool(runtime, package)
    context = write_context(tmp_path / "ctx", "FROM busybox\nRUN mknod /disk b 8 0 && dd if=/disk of=/dev/null count=1\n")
    message, lines = build_failure(context, busybox_base, tmp_path / "cache", runtime=runtime)
    assert message.startswith("line 2: RUN exited with status 1: mknod /disk b 8 0")
    assert any("Operation not permitted" in line for line in lines)


@pytest.mark.parametrize("runtime, package", RUNTIMES)
def test_mount_fails(tmp_path, busybox_base, runtime, package):
    require_tool(runtime, package)
    canary = tmp_path / "canary"
    canary.mkdir()
    context = write_context(tmp_path / "ctx", "FROM busybox\nRUN mkdir /m && mount -t proc proc /m\n")
    message, lines = build_failure(context, busybox_base, tmp_path / "cache", runtime=runtime)
    assert message.startswith("line 2: RUN exited with status")
    assert any("permission denied" in line.lower() for line in lines)
    assert str(canary) not in open("/proc/self/mountinfo").read()


@pytest.mark.parametrize("runtime, package", RUNTIMES)
def test_a_host_sysctl_cannot_be_written(tmp_path, busybox_base, runtime, package):
    require_tool(runtime, package)
    with open("/proc/sys/kernel/core_pattern") as handle:
        before = handle.read()
    # the same value: should the sandbox ever fail, the host is still not changed
    value = before.strip().replace("'", "")
    context = write_context(tmp_path / "ctx", f"FROM busybox\nRUN echo '{value}' >> /proc/sys/kernel/core_pattern\n")
    message, lines = build_failure(context, busybox_base, tmp_path / "cache", runtime=runtime)
    assert message.startswith("line 2: RUN exited with status")
    assert any("Read-only file system" in line for line in lines)
    with open("/proc/sys/kernel/core_pattern") as handle:
        assert handle.read() == before
