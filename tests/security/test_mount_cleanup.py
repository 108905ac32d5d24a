"""A RUN step that swaps a mount point's parent for a symlink to a host directory: removing the
mount points afterwards must not touch the host (the empty directory and empty file there)."""

import pytest
from sandbox_attacks import RUNTIMES, build_ok, require_tool, write_context

from twelvecheck.build.secrets import SecretSource


@pytest.mark.parametrize("runtime, package", RUNTIMES)
@pytest.mark.parametrize("mount", ["type=tmpfs,target=/a/d", "type=secret,id=s,target=/a/s"])
def test_a_symlinked_mount_parent_does_not_lead_cleanup_to_the_host(tmp_path, busybox_base, runtime, package, mount):
    require_tool(runtime, package)
    host = tmp_path / "host"
    host.mkdir()
    (host / "d").mkdir()
    (host / "s").write_text("")
    secret = tmp_path / "secret"
    secret.write_text("value")
    context = write_context(tmp_path / "ctx", f"""\
        FROM busybox
        RUN --mount={mount} mv /a /a.old && ln -s {host} /a && echo swapped
    """)
    lines = build_ok(context, busybox_base, tmp_path / "cache", runtime=runtime,
                     secrets=[SecretSource("s", file=str(secret))])
    assert any(line.endswith("swapped") for line in lines)
    assert (host / "d").is_dir() and (host / "s").is_file()  # the host canary
    assert sorted(path.name for path in host.iterdir()) == ["d", "s"]
