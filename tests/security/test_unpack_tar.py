"""Hostile tars, as a base image's layer and as an ADD archive: nothing outside the build changes,
and what is refused is a build error (exit 1) naming the line, the layer and the entry."""

from __future__ import annotations

import io
import os
import stat
import tarfile

import pytest
from unpack_hostile import Canary, as_root, assert_clean_build_error, build, entry, oci_layout, tar_bytes

from twelvecheck.build.unpack import UnpackError, unpack_layer

SYM, LNK, DIR, REG = tarfile.SYMTYPE, tarfile.LNKTYPE, tarfile.DIRTYPE, tarfile.REGTYPE


@pytest.fixture
def canary(tmp_path):
    as_root()
    return Canary.make(tmp_path)


def run_as(tmp_path, via: str, layer: bytes):
    """Build with ``layer`` as the base image's only layer, or as an archive ADD unpacks."""
    if via == "base":
        layout = oci_layout(tmp_path / "evil-image", [layer])
        return build(tmp_path, "FROM evil\nWORKDIR /w\n", "--base", f"evil=oci:{layout}:latest")
    return build(tmp_path, "FROM scratch\nADD evil.tar /\n", files={"evil.tar": layer})


def where(via: str) -> str:
    return "layer 1/1 sha256:" if via == "base" else "ADD archive evil.tar"


VIAS = ["base", "add"]


def symlink_targets(canary):
    return {"absolute": canary.file, "relative": "../" * 12 + canary.file.lstrip("/")}


# -- the reported attack: symlink to a host file, then a hardlink to the symlink with mode 6777 --
@pytest.mark.parametrize("via", VIAS)
@pytest.mark.parametrize("kind", ["absolute", "relative"])
def test_hardlink_to_a_symlink_to_a_host_file_never_chmods_the_host_file(tmp_path, canary, via, kind):
    layer = tar_bytes(entry("s", SYM, linkname=symlink_targets(canary)[kind]),
                      entry("h", LNK, linkname="s", mode=0o6777))
    result = run_as(tmp_path, via, layer)
    canary.assert_untouched()
    assert stat.S_IMODE(os.stat(canary.file).st_mode) == 0o644
    assert result.returncode == 0, result.stderr  # linking the symlink itself is harmless


def test_the_hardlink_links_the_symlink_itself(tmp_path, canary):
    root = tmp_path / "root"
    root.mkdir()
    layer = tar_bytes(entry("s", SYM, linkname=canary.file), entry("h", LNK, linkname="s", mode=0o6777))
    unpack_layer(io.BytesIO(layer), str(root))
    assert os.readlink(root / "h") == canary.file
    assert os.lstat(root / "h").st_ino == os.lstat(root / "s").st_ino
    canary.assert_untouched()


# -- names that leave the root ------------------------------------------------------------------
@pytest.mark.parametrize("via", VIAS)
@pytest.mark.parametrize("name, message", [
    ("../../../../../../host/canary", "climbs out of the root"),
    ("a/../../escape", "climbs out of the root"),
    ("/etc/evil", "absolute path"),
])
def test_names_outside_the_root_are_refused(tmp_path, canary, via, name, message):
    result = run_as(tmp_path, via, tar_bytes(entry(name, data=b"owned\n")))
    canary.assert_untouched()
    assert_clean_build_error(result, "line 2:", where(via), f"entry {name!r}", message)


# -- writing through a symlinked directory -------------------------------------------------------
@pytest.mark.parametrize("via", VIAS)
@pytest.mark.parametrize("kind", ["absolute", "relative"])
@pytest.mark.parametrize("payload", [
    entry("d/inside", data=b"owned\n", mode=0o6777),
    entry("d/new", DIR, mode=0o777),
    entry("d/link", SYM, linkname="/"),
])
def test_entries_under_a_symlinked_directory_are_refused(tmp_path, canary, via, kind, payload):
    target = {"absolute": canary.dir, "relative": "../" * 12 + canary.dir.lstrip("/")}[kind]
    result = run_as(tmp_path, via, tar_bytes(entry("d", SYM, linkname=target), payload))
    canary.assert_untouched()
    assert_clean_build_error(result, where(via), f"entry {payload.name!r}", "is a symlink")


@pytest.mark.parametrize("via", VIAS)
def test_a_hardlink_through_a_symlinked_directory_is_refused(tmp_path, canary, via):
    layer = tar_bytes(entry("d", SYM, linkname=canary.dir), entry("h", LNK, linkname="d/inside", mode=0o6777))
    result = run_as(tmp_path, via, layer)
    canary.assert_untouched()
    assert_clean_build_error(result, where(via), "entry 'h'", "through non-directory /d")


@pytest.mark.parametrize("linkname", ["/host/canary", "../host/canary"])
def test_a_hardlink_to_a_path_outside_is_refused(tmp_path, canary, linkname):
    result = run_as(tmp_path, "base", tar_bytes(entry("h", LNK, linkname=linkname, mode=0o6777)))
    canary.assert_untouched()
    assert_clean_build_error(result, "entry 'h'")


def test_a_symlinked_directory_from_a_lower_layer_is_not_written_through(tmp_path, canary):
    lower = tar_bytes(entry("etc", SYM, linkname=canary.dir))
    upper = tar_bytes(entry("etc/inside", data=b"owned\n"))
    layout = oci_layout(tmp_path / "evil-image", [lower, upper])
    result = build(tmp_path, "FROM evil\nWORKDIR /w\n", "--base", f"evil=oci:{layout}:latest")
    canary.assert_untouched()
    assert_clean_build_error(result, "layer 2/2", "entry 'etc/inside'", "is a symlink")


def test_an_existing_symlink_at_the_entry_path_is_replaced_not_followed(tmp_path, canary):
    lower = tar_bytes(entry("f", SYM, linkname=canary.file))
    upper = tar_bytes(entry("f", data=b"owned\n", mode=0o6777))
    root = tmp_path / "root"
    root.mkdir()
    for layer in (lower, upper):
        unpack_layer(io.BytesIO(layer), str(root))
    canary.assert_untouched()
    assert (root / "f").read_bytes() == b"owned\n" and not (root / "f").is_symlink()


# -- whiteouts ---------------------------------------------------------------------------------
@pytest.mark.parametrize("whiteout", ["d/.wh.inside", "d/.wh..wh..opq"])
def test_whiteouts_under_a_symlinked_directory_remove_nothing_outside(tmp_path, canary, whiteout):
    layout = oci_layout(tmp_path / "evil-image", [tar_bytes(entry("d", SYM, linkname=canary.dir)),
                                                  tar_bytes(entry(whiteout))])
    result = build(tmp_path, "FROM evil\nWORKDIR /w\n", "--base", f"evil=oci:{layout}:latest")
    canary.assert_untouched()
    assert_clean_build_error(result, "layer 2/2", f"entry {whiteout!r}", "is a symlink")


@pytest.mark.parametrize("whiteout, message", [(".wh..", "bad whiteout"), (".wh...", "bad whiteout"),
                                               ("../.wh.host", "climbs out")])
def test_whiteouts_naming_a_parent_are_refused(tmp_path, canary, whiteout, message):
    root = tmp_path / "root"
    root.mkdir()
    with pytest.raises(UnpackError, match=message):
        unpack_layer(io.BytesIO(tar_bytes(entry(whiteout))), str(root))
    canary.assert_untouched()


# -- device nodes --------------------------------------------------------------------------------
@pytest.mark.parametrize("via", VIAS)
@pytest.mark.parametrize("kind, major, minor", [(tarfile.BLKTYPE, 8, 0), (tarfile.CHRTYPE, 1, 1),
                                                (tarfile.CHRTYPE, 10, 237)])
def test_device_nodes_reaching_hardware_are_refused(tmp_path, canary, via, kind, major, minor):
    result = run_as(tmp_path, via, tar_bytes(entry("dev/disk", kind, devmajor=major, devminor=minor)))
    canary.assert_untouched()
    assert_clean_build_error(result, where(via), "entry 'dev/disk'", f"device node {major}:{minor}")


def test_harmless_device_nodes_are_made(tmp_path, canary):
    root = tmp_path / "root"
    root.mkdir()
    unpack_layer(io.BytesIO(tar_bytes(entry("dev/null", tarfile.CHRTYPE, devmajor=1, devminor=3, mode=0o666))),
                 str(root))
    st = os.lstat(root / "dev" / "null")
    assert stat.S_ISCHR(st.st_mode) and os.major(st.st_rdev) == 1 and os.minor(st.st_rdev) == 3


# -- a hostile tar's content never reaches tarfile unchecked ------------------------------------
def test_a_symlink_loop_and_self_hardlink_are_located_errors(tmp_path, canary):
    layer = tar_bytes(entry("a", SYM, linkname="a"), entry("a/x", data=b"x"))
    result = run_as(tmp_path, "add", layer)
    assert_clean_build_error(result, "entry 'a/x'")
    layer = tar_bytes(entry("h", LNK, linkname="h"))
    result = run_as(tmp_path, "base", layer)
    assert_clean_build_error(result, "entry 'h'", "missing")
    canary.assert_untouched()


def test_garbage_after_a_valid_entry_is_a_located_error(tmp_path, canary):
    header_and_data = tar_bytes(entry("ok", data=b"fine\n"))[:1024]
    layer = header_and_data + b"\x01" * 512 + bytes(10240)
    result = run_as(tmp_path, "base", layer)
    canary.assert_untouched()
    assert_clean_build_error(result, "layer 1/1", "entry", "checksum")


@pytest.mark.parametrize("name, message", [("a/" * 300 + "f", "directories deep"), ("n" * 5000, "longer than"),
                                           ("x" * 300, "too long")])
def test_names_too_deep_or_too_long_are_located_errors(tmp_path, canary, name, message):
    result = run_as(tmp_path, "add", tar_bytes(entry(name, data=b"x")))
    assert_clean_build_error(result, "ADD archive evil.tar", message)
    canary.assert_untouched()
