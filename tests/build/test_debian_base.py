"""The Debian test base (tests/debian_base.py): its layout is valid for strict tools, it is made
once per cache key, and it says why when it cannot be made."""

from __future__ import annotations

import io
import json
import tarfile

import debian_base
import pytest
from conftest import require_tool


def small_rootfs_tar(path) -> None:
    with tarfile.open(path, "w") as archive:
        for name, data in (("./etc/", None), ("./etc/debian_version", b"12.0\n")):
            member = tarfile.TarInfo(name)
            if data is None:
                member.type, member.mode = tarfile.DIRTYPE, 0o755
                archive.addfile(member)
            else:
                member.size, member.mode = len(data), 0o644
                archive.addfile(member, io.BytesIO(data))


def test_the_layout_is_one_layer_with_an_empty_dev_and_strict_tools_accept_it(tmp_path, real_tools_accept):
    small_rootfs_tar(tmp_path / "rootfs.tar")
    layout = tmp_path / "layout"
    debian_base.write_layout(tmp_path / "rootfs.tar", layout, created_by="test")
    real_tools_accept(layout, "latest", tmp_path)
    rootfs = tmp_path / "bundle" / "rootfs"
    assert sorted(p.name for p in rootfs.iterdir()) == ["dev", "etc"]
    assert (rootfs / "etc" / "debian_version").read_text() == "12.0\n"
    index = json.loads((layout / "index.json").read_text())
    manifest = json.loads((layout / "blobs" / "sha256" / index["manifests"][0]["digest"][7:]).read_text())
    assert len(manifest["layers"]) == 1


def test_it_is_made_once_per_key_and_reused(tmp_path, monkeypatch):
    require_tool("dpkg", "dpkg")
    made = []

    def fake_mmdebstrap(program, output):
        made.append(output)
        small_rootfs_tar(output)

    monkeypatch.setattr(debian_base.shutil, "which", lambda name: "/usr/bin/true")
    monkeypatch.setattr(debian_base, "_mmdebstrap", fake_mmdebstrap)
    name = f"debian-{debian_base.SUITE}-{debian_base.VARIANT}-{debian_base.cache_key('/usr/bin/true')}"
    (tmp_path / f"{name}.killed" / "rootfs").mkdir(parents=True)  # what a killed run leaves
    first = debian_base.make_debian_base(tmp_path)
    assert first.name == name and not (tmp_path / f"{name}.killed").exists()
    assert debian_base.make_debian_base(tmp_path) == first and len(made) == 1
    monkeypatch.setattr(debian_base, "OPTIONS", (*debian_base.OPTIONS, "--include=jq"))
    assert debian_base.make_debian_base(tmp_path) != first and len(made) == 2  # another key, another base


def test_without_mmdebstrap_or_the_network_it_says_why(tmp_path, monkeypatch):
    require_tool("dpkg", "dpkg")
    monkeypatch.setattr(debian_base.shutil, "which", lambda name: None)
    with pytest.raises(debian_base.Unavailable, match="apt-get install mmdebstrap"):
        debian_base.make_debian_base(tmp_path)
    monkeypatch.setattr(debian_base.shutil, "which", lambda name: "/bin/false")  # fails like a missing mirror
    with pytest.raises(debian_base.Unavailable, match="could not make a bookworm rootfs"):
        debian_base.make_debian_base(tmp_path)
    assert [path.name for path in tmp_path.iterdir() if not path.name.endswith(".lock")] == []
