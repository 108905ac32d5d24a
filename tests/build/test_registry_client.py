"""Pulling bases over the distribution API: Debian's docker-registry on 127.0.0.1 seeded by skopeo
(OCI and Docker schema 2 manifests, a multi-platform index), and our own fake registry
(fake_registry.py) for the bearer-token handshake and for tampered bytes."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import require_tool
from fake_registry import TOKEN, FakeRegistry

from twelvecheck.build import mediatypes
from twelvecheck.build.builder import build, build_platform
from twelvecheck.build.cache import BlobStore
from twelvecheck.build.digest import Digest, DigestMismatch
from twelvecheck.build.oci import Manifest, Platform, canonical_json
from twelvecheck.build.registry import ImageReference, RegistryError, pull

OTHER_PLATFORM = Platform("linux", "s390x" if build_platform().architecture != "s390x" else "amd64")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _busybox_manifest(layout: Path) -> tuple[dict, Manifest]:
    entry = json.loads((layout / "index.json").read_text())["manifests"][0]
    data = (layout / "blobs" / "sha256" / entry["digest"].split(":")[1]).read_bytes()
    return entry, Manifest.from_bytes(data)


def _add_blob(layout: Path, data: bytes) -> str:
    digest = Digest.of(data)
    (layout / "blobs" / "sha256" / digest.hex).write_bytes(data)
    return str(digest)


def write_multi_platform_layout(busybox: Path, target: Path) -> None:
    """busybox for the host plus a second manifest (same layer, config saying OTHER_PLATFORM),
    under one image index tagged 'multi'."""
    shutil.copytree(busybox, target)
    entry, manifest = _busybox_manifest(target)
    config = json.loads((target / "blobs" / "sha256" / manifest.config.digest.hex).read_bytes())
    config.update(OTHER_PLATFORM.to_json())
    other_config = canonical_json(config)
    other_manifest = canonical_json({
        "schemaVersion": 2, "mediaType": mediatypes.OCI_MANIFEST,
        "config": {"mediaType": mediatypes.OCI_CONFIG, "digest": _add_blob(target, other_config), "size": len(other_config)},
        "layers": [layer.to_json() for layer in manifest.layers]})
    index = canonical_json({"schemaVersion": 2, "mediaType": mediatypes.OCI_INDEX, "manifests": [
        {"mediaType": mediatypes.OCI_MANIFEST, "digest": entry["digest"], "size": entry["size"],
         "platform": build_platform().to_json()},
        {"mediaType": mediatypes.OCI_MANIFEST, "digest": _add_blob(target, other_manifest),
         "size": len(other_manifest), "platform": OTHER_PLATFORM.to_json()}]})
    (target / "index.json").write_text(json.dumps({"schemaVersion": 2, "manifests": [
        {"mediaType": mediatypes.OCI_INDEX, "digest": _add_blob(target, index), "size": len(index),
         "annotations": {mediatypes.REF_NAME_ANNOTATION: "multi"}}]}))


@pytest.fixture(scope="module")
def registry(tmp_path_factory, busybox_base):
    """docker-registry on a free loopback port, seeded: lib/busybox:1 (OCI), lib/busybox:v2s2
    (Docker schema 2), lib/multi:1 (an OCI index of two platforms)."""
    binary = require_tool("docker-registry", "docker-registry")
    work = tmp_path_factory.mktemp("registry")
    host = f"127.0.0.1:{_free_port()}"
    config = work / "config.yml"
    config.write_text(f"version: 0.1\nlog: {{level: error}}\nstorage: {{filesystem: {{rootdirectory: {work / 'data'}}}, "
                      f"delete: {{enabled: true}}}}\nhttp: {{addr: {host}}}\n")
    log = open(work / "registry.log", "wb")
    server = subprocess.Popen([binary, "serve", str(config)], stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_until_up(f"http://{host}/v2/", server)
        write_multi_platform_layout(busybox_base, work / "multi")
        for source, destination, extra in (
            (f"oci:{busybox_base}:latest", "lib/busybox:1", []),
            (f"oci:{busybox_base}:latest", "lib/busybox:v2s2", ["--format", "v2s2"]),
            (f"oci:{work / 'multi'}:multi", "lib/multi:1", ["--all"]),
        ):
            subprocess.run(["skopeo", "copy", "-q", "--dest-tls-verify=false", *extra, source,
                            f"docker://{host}/{destination}"], check=True, capture_output=True)
        yield host
    finally:
        os.kill(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
        log.close()


def _wait_until_up(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 15
    while True:
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"docker-registry did not start (exit {server.poll()})")
            time.sleep(0.1)


def test_reference_parsing_follows_docker_normalisation():
    assert ImageReference.parse("busybox") == ImageReference("docker.io", "library/busybox", "latest")
    assert ImageReference.parse("127.0.0.1:5000/lib/busybox") == ImageReference("127.0.0.1:5000", "lib/busybox", "latest")
    digest = "sha256:" + "a" * 64
    assert ImageReference.parse(f"ghcr.io/o/r:1@{digest}") == ImageReference("ghcr.io", "o/r", "1", Digest.parse(digest))


def test_build_from_a_registry_image_is_accepted_by_real_tools(tmp_path, registry, busybox_base, real_tools_accept):
    require_tool("bwrap", "bubblewrap")
    (tmp_path / "Dockerfile").write_text(f"FROM {registry}/lib/busybox:1\nRUN echo pulled > /pulled\n")
    image = build(str(tmp_path), cache_dir=str(tmp_path / "cache"), insecure_registries=[registry],
                  output=f"oci:{tmp_path / 'out'}", tag="localhost/pulled:1")
    _, local = _busybox_manifest(busybox_base)
    assert image.manifest.layers[0] == local.layers[0]  # the same bytes as the local base
    assert len(image.layers) == 2
    real_tools_accept(tmp_path / "out", "1", tmp_path / "check")


def test_docker_schema2_layers_are_renamed_to_oci_types(tmp_path, registry, busybox_base):
    pulled = pull(ImageReference.parse(f"{registry}/lib/busybox:v2s2"), BlobStore(str(tmp_path)),
                  build_platform(), [registry])
    _, local = _busybox_manifest(busybox_base)
    assert [layer.media_type for layer in pulled.manifest.layers] == [mediatypes.OCI_LAYER_TAR_GZIP]
    assert pulled.manifest.layers[0].digest == local.layers[0].digest


def test_an_index_resolves_to_the_build_platform(tmp_path, registry, busybox_base):
    store = BlobStore(str(tmp_path))
    reference = ImageReference.parse(f"{registry}/lib/multi:1")
    entry, _ = _busybox_manifest(busybox_base)
    assert str(pull(reference, store, build_platform(), [registry]).manifest_digest) == entry["digest"]
    assert pull(reference, store, OTHER_PLATFORM, [registry]).config.platform == OTHER_PLATFORM
    with pytest.raises(RegistryError, match="no image for linux/mips64le"):
        pull(reference, store, Platform("linux", "mips64le"), [registry])


def test_plain_http_needs_insecure_registry(tmp_path, registry):
    with pytest.raises(RegistryError, match="--insecure-registry"):
        pull(ImageReference.parse(f"{registry}/lib/busybox:1"), BlobStore(str(tmp_path)), build_platform())


def test_bearer_token_handshake_and_cdn_redirect(tmp_path, busybox_base):
    with FakeRegistry(busybox_base, require_token=True, redirect_blobs=True) as fake:
        pulled = pull(ImageReference.parse(f"{fake.host}/lib/busybox:latest"), BlobStore(str(tmp_path)),
                      build_platform(), [fake.host])
    assert fake.token_requests == [{"service": ["fake"], "scope": ["repository:lib/busybox:pull"]}]
    registry_calls = [auth for path, auth in fake.requests if path.startswith("/v2/")]
    assert registry_calls[0] is None and set(registry_calls[1:]) == {f"Bearer {TOKEN}"}
    assert all(auth is None for path, auth in fake.requests if path.startswith("/cdn/"))  # token not leaked
    assert BlobStore(str(tmp_path)).has(pulled.manifest.layers[0].digest)


@pytest.mark.parametrize("part", ["layer", "config"])
def test_tampered_blobs_are_refused_and_never_stored(tmp_path, busybox_base, part):
    _, manifest = _busybox_manifest(busybox_base)
    target = manifest.layers[0].digest if part == "layer" else manifest.config.digest
    store = BlobStore(str(tmp_path))
    with FakeRegistry(busybox_base, tampered=frozenset({str(target)})) as fake:
        with pytest.raises(DigestMismatch):
            pull(ImageReference.parse(f"{fake.host}/lib/busybox:latest"), store, build_platform(), [fake.host])
    assert os.listdir(store.directory) == []  # neither the blob nor a leftover temp file
