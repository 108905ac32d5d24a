"""Secrets never appear on a command line: while a RUN step that uses one sleeps, no
/proc/*/cmdline on the machine holds the secret's value."""

import os
import secrets
import time

import pytest
from sandbox_attacks import cli_build, require_tool, write_context


def _cmdlines() -> list[bytes]:
    found = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as handle:
                    found.append(handle.read())
            except OSError:
                pass
    return found


@pytest.mark.parametrize("runtime, package, user", [("bwrap", "bubblewrap", ""), ("runc", "runc", "USER nobody\n")])
@pytest.mark.parametrize("source", ["env", "src"])
def test_a_secret_is_in_no_command_line(tmp_path, busybox_base, runtime, package, user, source):
    require_tool(runtime, package)
    value = "s3cr3t-" + secrets.token_hex(8)
    marker = f"{secrets.randbelow(10**6) + 10**6}"
    (tmp_path / "token").write_text(value)
    option = "id=tok,env=TOKEN" if source == "env" else f"id=tok,src={tmp_path / 'token'}"
    context = write_context(tmp_path / "ctx", f"""\
        FROM busybox
        {user}RUN --mount=type=secret,id=tok,env=TOK,target=/run/secrets/tok,mode=0444 \\
            test "$TOK" = "$(cat /run/secrets/tok)" && echo ready && sleep 2.{marker}
    """)
    process = cli_build(context, busybox_base, tmp_path / "tmp", "--runtime", runtime, "--secret", option,
                        env={"TOKEN": value})
    seen_sleep = False
    deadline = time.monotonic() + 60
    while process.poll() is None and time.monotonic() < deadline:
        lines = _cmdlines()
        assert not any(value.encode() in line for line in lines)
        seen_sleep = seen_sleep or any(marker.encode() in line for line in lines)
        time.sleep(0.05)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert seen_sleep, "the RUN step was never seen running"
    assert value not in err
