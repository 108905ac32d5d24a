"""Bombs and lies: layers over the limits, extended headers and sparse entries, digests, diff_ids
and sizes that do not match, documents that are devices, FIFOs or huge, malformed archives.
Each is refused quickly (the subprocess timeout is the bound) with a located build error."""

from __future__ import annotations

import gzip
import io
import json
import os
import tarfile

import pytest
from unpack_hostile import (Canary, as_root, assert_clean_build_error, build, digest, docker_archive, entry,
                            oci_layout, tar_bytes)

from twelvecheck.build.layerstream import Limits, LayerStream, UnpackError

FROM_EVIL = "FROM evil\nWORKDIR /w\n"


@pytest.fixture
def canary(tmp_path):
    as_root()
    return Canary.make(tmp_path)


def raw_header(name: str, kind: bytes, size: int, fmt=tarfile.USTAR_FORMAT) -> bytes:
    info = tarfile.TarInfo(name)
    info.type, info.size = kind, size
    return info.tobuf(fmt)


def build_base(tmp_path, layers, env=None, **overrides):
    layout = oci_layout(tmp_path / "evil-image", layers, **overrides)
    return build(tmp_path, FROM_EVIL, "--base", f"evil=oci:{layout}:latest", env=env, timeout=60)


# -- bombs -------------------------------------------------------------------------------------
def test_a_gzip_bomb_declaring_a_terabyte_is_refused_at_its_header(tmp_path, canary):
    bomb = raw_header("zeros", tarfile.REGTYPE, 1 << 40, tarfile.GNU_FORMAT) + bytes(64 << 20)  # 64 MiB of it is enough
    result = build_base(tmp_path, [bomb])
    assert_clean_build_error(result, "layer 1/1", "entry 'zeros'", "declare more than")
    canary.assert_untouched()


def test_a_gzip_bomb_under_the_size_field_limit_stops_at_the_byte_limit(tmp_path, canary):
    files = [entry(f"zeros{i}", data=bytes(20 << 20)) for i in range(5)]
    result = build_base(tmp_path, [tar_bytes(*files)], env={"TWELVECHECK_MAX_LAYER_BYTES": str(64 << 20)})
    assert_clean_build_error(result, "layer 1/1", "entry 'zeros3'", "TWELVECHECK_MAX_LAYER_BYTES")
    canary.assert_untouched()


def test_too_many_entries_stop_at_the_entry_limit(tmp_path, canary):
    files = [entry(f"f{i}") for i in range(1500)]
    result = build_base(tmp_path, [tar_bytes(*files)], env={"TWELVECHECK_MAX_LAYER_ENTRIES": "1000"})
    assert_clean_build_error(result, "layer 1/1", "entry 'f1000'", "more than 1000 entries")
    canary.assert_untouched()


def test_an_add_archive_bomb_stops_at_the_limit_too(tmp_path, canary):
    files = [entry(f"zeros{i}", data=bytes(20 << 20)) for i in range(5)]
    result = build(tmp_path, "FROM scratch\nADD bomb.tgz /\n", files={"bomb.tgz": tar_bytes(*files, compress=True)},
                   env={"TWELVECHECK_MAX_LAYER_BYTES": str(64 << 20)}, timeout=60)
    assert_clean_build_error(result, "line 2:", "ADD archive bomb.tgz", "entry 'zeros3'")


@pytest.mark.parametrize("kind", [tarfile.XHDTYPE, tarfile.GNUTYPE_LONGNAME])
def test_an_extended_header_too_large_to_hold_is_refused(tmp_path, canary, kind):
    layer = raw_header("big", kind, 1 << 30, tarfile.GNU_FORMAT) + bytes(1 << 20)
    result = build_base(tmp_path, [layer])
    assert_clean_build_error(result, "layer 1/1", "extended header of 1073741824 bytes")


def test_sparse_entries_are_refused(tmp_path, canary):
    layer = raw_header("sparse", tarfile.GNUTYPE_SPARSE, 0, tarfile.GNU_FORMAT) + bytes(10240)
    result = build_base(tmp_path, [layer])
    assert_clean_build_error(result, "layer 1/1", "entry 'sparse'", "sparse entries are not supported")


@pytest.mark.parametrize("cut", ["tar", "gzip"])
def test_a_truncated_layer_is_refused(tmp_path, canary, cut):
    whole = tar_bytes(entry("file", data=os.urandom(100_000)))
    layer = whole[:50_000] if cut == "tar" else whole
    stream = io.BytesIO(gzip.compress(layer)[:-20] if cut == "gzip" else layer)
    with pytest.raises(UnpackError, match="truncated"):
        LayerStream(stream, "layer 1/1", Limits()).finish()


# -- digests, diff_ids, sizes --------------------------------------------------------------------
def test_a_wrong_diff_id_is_refused_before_anything_is_built(tmp_path, canary):
    layer = tar_bytes(entry("file", data=b"x"))
    wrong = digest(b"other content")
    result = build_base(tmp_path, [layer], diff_ids=[wrong])
    assert_clean_build_error(result, "layer 1/1", f"diff_id {wrong}", digest(layer))


def test_a_wrong_diff_id_is_refused_even_when_the_blob_is_cached(tmp_path, canary):
    layer = tar_bytes(entry("file", data=b"x"))
    good = oci_layout(tmp_path / "good", [layer])
    assert build(tmp_path, FROM_EVIL, "--base", f"evil=oci:{good}:latest").returncode == 0
    result = build_base(tmp_path, [layer], diff_ids=[digest(b"other")])  # same cache, same blob
    assert_clean_build_error(result, "layer 1/1", "diff_id")


@pytest.mark.parametrize("error", [-1, 1])
def test_a_wrong_declared_layer_size_is_refused(tmp_path, canary, error):
    layer = tar_bytes(entry("file", data=b"x"))
    size = len(gzip.compress(layer, mtime=0))
    result = build_base(tmp_path, [layer], sizes=[size + error])
    assert_clean_build_error(result, "layer 1/1", f"its descriptor declares", str(size + error))


# -- documents that are not small regular files --------------------------------------------------
def _blob_path(layout, data_digest):
    return layout / "blobs" / "sha256" / data_digest.split(":")[1]


def _replace_with(path, kind):
    os.unlink(path)
    if kind == "symlink to /dev/zero":
        os.symlink("/dev/zero", path)
    else:
        os.mkfifo(path)


@pytest.mark.parametrize("kind", ["symlink to /dev/zero", "fifo"])
def test_index_json_that_is_not_a_regular_file_is_not_read(tmp_path, canary, kind):
    layout = oci_layout(tmp_path / "evil-image", [tar_bytes(entry("f"))])
    _replace_with(layout / "index.json", kind)
    result = build(tmp_path, FROM_EVIL, "--base", f"evil=oci:{layout}:latest", timeout=30)
    assert_clean_build_error(result, "index.json", "regular file")


@pytest.mark.parametrize("kind", ["symlink to /dev/zero", "fifo"])
def test_a_config_blob_that_is_not_a_regular_file_is_not_read(tmp_path, canary, kind):
    layout = oci_layout(tmp_path / "evil-image", [tar_bytes(entry("f"))])
    manifest_digest = json.loads((layout / "index.json").read_text())["manifests"][0]["digest"]
    config_digest = json.loads(_blob_path(layout, manifest_digest).read_text())["config"]["digest"]
    _replace_with(_blob_path(layout, config_digest), kind)
    result = build(tmp_path, FROM_EVIL, "--base", f"evil=oci:{layout}:latest", timeout=30)
    assert_clean_build_error(result, "image config", "regular file")


def test_a_gigabyte_config_is_refused_from_its_declared_size(tmp_path, canary):
    layout = tmp_path / "evil-image"
    config = b"{}"
    manifest = json.dumps({"schemaVersion": 2, "config": {
        "mediaType": "application/vnd.oci.image.config.v1+json", "digest": digest(config), "size": 1 << 30},
        "layers": []}).encode()
    (layout / "blobs" / "sha256").mkdir(parents=True)
    _blob_path(layout, digest(manifest)).write_bytes(manifest)
    (layout / "index.json").write_text(json.dumps({"schemaVersion": 2, "manifests": [{
        "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": digest(manifest),
        "size": len(manifest)}]}))
    result = build(tmp_path, FROM_EVIL, "--base", f"evil=oci:{layout}", timeout=30)
    assert_clean_build_error(result, "declares 1073741824 bytes")


@pytest.mark.parametrize("index, message", [
    (b"not json", "index is not valid JSON"),
    (b"[]", "index is not a JSON object"),
    (b'{"manifests": [{"mediaType": "x"}]}', "index lacks field 'digest'"),
    (b'{"manifests": [{"mediaType": "x", "digest": "sha256:../../etc", "size": 1}]}', "not a sha256 digest"),
    (b'{"manifests": [{"mediaType": "x", "digest": "sha256:' + b"0" * 64 + b'", "size": -1}]}', "not a byte count"),
    (b"[" * 100_000, "index is not valid JSON"),
])
def test_a_malformed_index_is_a_located_error(tmp_path, canary, index, message):
    layout = oci_layout(tmp_path / "evil-image", [tar_bytes(entry("f"))])
    (layout / "index.json").write_bytes(index)
    result = build(tmp_path, FROM_EVIL, "--base", f"evil=oci:{layout}")
    assert_clean_build_error(result, message)


# -- malformed docker-archives -------------------------------------------------------------------
LAYER = tar_bytes(entry("file", data=b"x"))


@pytest.mark.parametrize("change, message", [
    ({"skip": ("manifest.json",)}, "names 'manifest.json', which the archive does not hold"),
    ({"manifest": {}}, "manifest.json must list exactly one image"),
    ({"manifest": [1]}, "manifest.json must list exactly one image"),
    ({"manifest": [{"Layers": []}]}, 'needs "Config"'),
    ({"manifest": [{"Config": "config.json", "Layers": "x"}]}, 'needs "Config"'),
    ({"manifest": [{"Config": "config.json", "Layers": [7]}]}, 'needs "Config"'),
    ({"manifest": [{"Config": "nope.json", "Layers": []}]}, "names 'nope.json'"),
    ({"manifest": [{"Config": "config.json", "Layers": ["missing/layer.tar"]}]}, "names 'missing/layer.tar'"),
    ({"manifest": [{"Config": "config.json", "Layers": []}]}, "lists 0 layers, the config 1"),
    ({"extra": {"config.json": b"[1, 2]"}}, "image config is not a JSON object"),
])
def test_a_malformed_docker_archive_is_a_located_error(tmp_path, canary, change, message):
    archive = docker_archive(tmp_path / "evil.tar", [LAYER], **change)
    result = build(tmp_path, FROM_EVIL, "--base", f"evil=docker-archive:{archive}")
    assert_clean_build_error(result, str(archive), message)


def test_a_docker_archive_whose_config_is_a_symlink_loop_is_a_located_error(tmp_path, canary):
    archive = tmp_path / "evil.tar"
    with tarfile.open(archive, "w") as tar:
        for name, target in (("a.json", "b.json"), ("b.json", "a.json")):
            info = tarfile.TarInfo(name)
            info.type, info.linkname = tarfile.SYMTYPE, target
            tar.addfile(info)
        data = json.dumps([{"Config": "a.json", "Layers": []}]).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    result = build(tmp_path, FROM_EVIL, "--base", f"evil=docker-archive:{archive}")
    assert_clean_build_error(result, "'a.json' is not a regular file")


@pytest.mark.parametrize("kind", ["fifo", "not a tar", "wrong diff_id"])
def test_a_docker_archive_that_is_unreadable_is_a_located_error(tmp_path, canary, kind):
    archive = tmp_path / "evil.tar"
    if kind == "fifo":
        os.mkfifo(archive)
        message = "not a regular file"
    elif kind == "not a tar":
        archive.write_bytes(b"\x01" * 4096)
        message = "not a readable docker-archive"
    else:
        docker_archive(archive, [LAYER], extra={"config.json": json.dumps(
            {"rootfs": {"type": "layers", "diff_ids": [digest(b"other")]}}).encode()})
        message = "diff_id"
    result = build(tmp_path, FROM_EVIL, "--base", f"evil=docker-archive:{archive}", timeout=30)
    assert_clean_build_error(result, str(archive), message)
