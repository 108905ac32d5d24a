"""Layer tars: determinism, round trips through diff + write + unpack, and hostile input."""

import gzip
import hashlib
import io
import shutil
import os
import stat
import tarfile

import pytest

from twelvecheck.build import diff
from twelvecheck.build.layer import write_layer
from twelvecheck.build.unpack import Limits, UnpackError, unpack_layer


def make_tree(root):
    os.makedirs(root / "etc" / "app")
    (root / "etc" / "app" / "conf").write_text("a=1\n")
    (root / "bin").mkdir()
    (root / "bin" / "tool").write_bytes(b"\x7fELF" + bytes(5000))
    os.chmod(root / "bin" / "tool", 0o4755)
    os.link(root / "bin" / "tool", root / "bin" / "tool-again")
    os.symlink("tool", root / "bin" / "alias")
    os.setxattr(root / "etc" / "app" / "conf", "user.origin", b"test\xff")
    return root


def layer_bytes(root, members, **options):
    out = io.BytesIO()
    layer = write_layer(str(root), members, out, **options)
    return layer, out.getvalue()


def all_members(root):
    return diff.compare({}, diff.snapshot(str(root))).members


def test_same_tree_gives_the_same_layer_and_diff_id_is_of_the_uncompressed_tar(tmp_path):
    root = make_tree(tmp_path / "root")
    first, data = layer_bytes(root, all_members(root))
    os.utime(root / "etc" / "app" / "conf", (12345, 12345))
    second, _ = layer_bytes(root, all_members(root))
    assert first == second
    assert first.descriptor.digest.hex == hashlib.sha256(data).hexdigest()
    assert first.diff_id.hex == hashlib.sha256(gzip.decompress(data)).hexdigest()
    assert first.diff_id != first.descriptor.digest


def test_entries_are_sorted_numeric_and_clamped(tmp_path):
    root = make_tree(tmp_path / "root")
    _, data = layer_bytes(root, all_members(root), epoch=100)
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        members = tar.getmembers()
    names = [member.name for member in members]
    assert names == ["bin", "bin/alias", "bin/tool", "bin/tool-again", "etc", "etc/app", "etc/app/conf"]
    assert all(member.mtime <= 100 and member.uname == "" for member in members)
    by_name = {member.name: member for member in members}
    assert by_name["bin/tool-again"].islnk() and by_name["bin/tool-again"].linkname == "bin/tool"
    assert by_name["bin/tool"].mode == 0o4755
    assert by_name["etc/app/conf"].pax_headers["SCHILY.xattr.user.origin"].encode("utf-8", "surrogateescape") == b"test\xff"


def test_round_trip_keeps_types_modes_links_and_xattrs(tmp_path):
    root = make_tree(tmp_path / "root")
    _, data = layer_bytes(root, all_members(root))
    copy = tmp_path / "copy"
    copy.mkdir()
    unpack_layer(io.BytesIO(data), str(copy))
    assert os.readlink(copy / "bin" / "alias") == "tool"
    assert stat.S_IMODE(os.stat(copy / "bin" / "tool").st_mode) == 0o4755
    assert os.stat(copy / "bin" / "tool").st_ino == os.stat(copy / "bin" / "tool-again").st_ino
    assert os.getxattr(copy / "etc" / "app" / "conf", "user.origin") == b"test\xff"
    assert (copy / "etc" / "app" / "conf").read_text() == "a=1\n"


def test_deletions_become_whiteouts_and_a_recreated_dir_becomes_opaque(tmp_path):
    root = make_tree(tmp_path / "root")
    lower, lower_data = layer_bytes(root, all_members(root))
    before = diff.snapshot(str(root))
    os.unlink(root / "bin" / "alias")
    os.rename(root / "etc" / "app", root / "old")
    os.mkdir(root / "etc" / "app")
    (root / "etc" / "app" / "new").write_text("n")
    shutil.rmtree(root / "old")
    changes = diff.compare(before, diff.snapshot(str(root)))
    tar_names = [member.tar_name for member in changes.members]
    assert "bin/.wh.alias" in tar_names and "etc/app/.wh..wh..opq" in tar_names
    assert tar_names.index("etc/app/.wh..wh..opq") < tar_names.index("etc/app/new")
    kinds = {(change.path, change.kind) for change in changes.changes}
    assert {("/bin/alias", "deleted"), ("/etc/app/new", "added")} <= kinds
    _, upper_data = layer_bytes(root, changes.members)
    target = tmp_path / "target"
    target.mkdir()
    for data in (lower_data, upper_data):
        unpack_layer(io.BytesIO(data), str(target))
    assert sorted(os.listdir(target / "etc" / "app")) == ["new"]
    assert not os.path.lexists(target / "bin" / "alias")
    assert lower.diff_id


def hostile_tar(*entries):
    """Entries are (name, type, extra) with extra a dict of TarInfo attributes."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, kind, extra in entries:
            info = tarfile.TarInfo(name)
            info.type = kind
            data = extra.pop("data", b"")
            info.size = len(data)
            for key, value in extra.items():
                setattr(info, key, value)
            tar.addfile(info, io.BytesIO(data))
    out.seek(0)
    return out


@pytest.mark.parametrize("entries, message", [
    ([("/etc/passwd", tarfile.REGTYPE, {"data": b"x"})], "absolute path"),
    ([("a/../../escape", tarfile.REGTYPE, {"data": b"x"})], "climbs out"),
    ([("link", tarfile.SYMTYPE, {"linkname": "/"}), ("link/escape", tarfile.REGTYPE, {"data": b"x"})],
     "is a symlink"),
    ([("dir", tarfile.SYMTYPE, {"linkname": "../.."}), ("dir/x", tarfile.DIRTYPE, {})], "is a symlink"),
    ([("hard", tarfile.LNKTYPE, {"linkname": "/etc/passwd"})], "absolute path"),
    ([("hard", tarfile.LNKTYPE, {"linkname": "../outside"})], "climbs out"),
    ([("l", tarfile.SYMTYPE, {"linkname": "/etc"}), ("hard", tarfile.LNKTYPE, {"linkname": "l/passwd"})],
     "through non-directory"),
    ([("dev/sda", tarfile.BLKTYPE, {"devmajor": 8, "devminor": 0})], "device node"),
    ([(".wh..", tarfile.REGTYPE, {})], "bad whiteout"),
])
def test_hostile_entries_are_refused_and_nothing_lands_outside(tmp_path, entries, message):
    root = tmp_path / "root"
    root.mkdir()
    (tmp_path / "outside").write_text("keep")
    with pytest.raises(UnpackError, match=message):
        unpack_layer(hostile_tar(*entries), str(root), allow_devices=False)
    assert (tmp_path / "outside").read_text() == "keep"
    assert sorted(os.listdir(tmp_path)) == ["outside", "root"]


def test_an_existing_symlink_is_replaced_not_written_through(tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    (tmp_path / "victim").write_text("keep")
    os.symlink(str(tmp_path / "victim"), root / "file")
    unpack_layer(hostile_tar(("file", tarfile.REGTYPE, {"data": b"new"})), str(root))
    assert (tmp_path / "victim").read_text() == "keep"
    assert not os.path.islink(root / "file") and (root / "file").read_bytes() == b"new"


def test_limits_stop_tar_bombs_with_a_clear_error(tmp_path):
    entries = [(f"f{i}", tarfile.REGTYPE, {"data": b"x" * 100}) for i in range(5)]
    with pytest.raises(UnpackError, match="more than 3 entries"):
        unpack_layer(hostile_tar(*entries), str(tmp_path), limits=Limits(max_entries=3))
    entries = [(f"g{i}", tarfile.REGTYPE, {"data": b"x" * 100}) for i in range(5)]
    with pytest.raises(UnpackError, match="more than 250 bytes"):
        unpack_layer(hostile_tar(*entries), str(tmp_path), limits=Limits(max_bytes=250))
