"""The same hostile images, pulled from a registry (tests/build/fake_registry.py serves a layout):
the checks do not depend on where an image comes from."""

from __future__ import annotations

import importlib.util
import json
import sys
import tarfile
from pathlib import Path

import pytest
from unpack_hostile import Canary, as_root, assert_clean_build_error, build, digest, entry, oci_layout, tar_bytes


def _load_fake_registry():
    """tests/build/fake_registry.py, loaded by path (putting tests/build on sys.path would change
    which ``conftest`` other test modules import)."""
    path = Path(__file__).resolve().parents[1] / "build" / "fake_registry.py"
    spec = importlib.util.spec_from_file_location("security_fake_registry", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses and annotations look the module up
    spec.loader.exec_module(module)
    return module.FakeRegistry


FakeRegistry = _load_fake_registry()


@pytest.fixture
def canary(tmp_path):
    as_root()
    return Canary.make(tmp_path)


def pull_build(tmp_path, layout):
    with FakeRegistry(layout) as registry:
        return build(tmp_path, f"FROM {registry.host}/evil:latest\nWORKDIR /w\n", "--insecure-registry",
                     registry.host, timeout=60)


def test_a_pulled_hardlink_to_a_host_symlink_never_chmods_the_host_file(tmp_path, canary):
    layer = tar_bytes(entry("s", tarfile.SYMTYPE, linkname=canary.file),
                      entry("h", tarfile.LNKTYPE, linkname="s", mode=0o6777))
    result = pull_build(tmp_path, oci_layout(tmp_path / "image", [layer]))
    assert result.returncode == 0, result.stderr
    canary.assert_untouched()


def test_a_pulled_layer_with_a_wrong_diff_id_is_refused(tmp_path, canary):
    layer = tar_bytes(entry("f", data=b"x"))
    result = pull_build(tmp_path, oci_layout(tmp_path / "image", [layer], diff_ids=[digest(b"other")]))
    assert_clean_build_error(result, "evil:latest: layer 1/1", "diff_id")


def test_a_pulled_gzip_bomb_is_refused_at_its_header(tmp_path, canary):
    info = tarfile.TarInfo("zeros")
    info.size = 1 << 40
    layer = info.tobuf(tarfile.GNU_FORMAT) + bytes(8 << 20)
    result = pull_build(tmp_path, oci_layout(tmp_path / "image", [layer]))
    assert_clean_build_error(result, "evil:latest: layer 1/1", "entry 'zeros'", "declare more than")


def test_a_pulled_config_declared_huge_is_refused_before_it_is_requested(tmp_path, canary):
    layout = oci_layout(tmp_path / "image", [tar_bytes(entry("f"))])
    index = json.loads((layout / "index.json").read_text())
    manifest_path = layout / "blobs" / "sha256" / index["manifests"][0]["digest"][7:]
    manifest = json.loads(manifest_path.read_text())
    manifest["config"]["size"] = 1 << 30
    data = json.dumps(manifest).encode()
    (layout / "blobs" / "sha256" / digest(data)[7:]).write_bytes(data)
    index["manifests"][0].update(digest=digest(data), size=len(data))
    (layout / "index.json").write_text(json.dumps(index))
    with FakeRegistry(layout) as registry:
        result = build(tmp_path, f"FROM {registry.host}/evil:latest\nWORKDIR /w\n", "--insecure-registry",
                       registry.host, timeout=60)
        config_requests = [path for path, _ in registry.requests if manifest["config"]["digest"] in path]
    assert_clean_build_error(result, "declares 1073741824 bytes")
    assert config_requests == []
