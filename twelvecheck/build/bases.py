"""Base images for FROM: ``oci:DIR[:TAG]`` (an OCI image layout), ``docker-archive:FILE`` or
``docker://[REGISTRY/]NAME[:TAG][@DIGEST]`` (pulled over the distribution API, see registry.py).

Every blob is copied into the blob store and checked against its digest on the way in, so a
corrupted or tampered base fails here, not later in a built image.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import tarfile
from dataclasses import dataclass
from typing import Collection

from twelvecheck.build import mediatypes, registry
from twelvecheck.build.cache import BlobStore
from twelvecheck.build.digest import Digest, DigestMismatch, HashingWriter
from twelvecheck.build.layer import Layer
from twelvecheck.build.oci import Descriptor, ImageConfig, Index, Manifest, Platform


class BaseImageError(ValueError):
    pass


@dataclass(frozen=True)
class BaseImage:
    config: ImageConfig
    layers: tuple[Layer, ...]
    identity: str  # what the cache key starts from: the manifest or config digest


def load_base(reference: str, store: BlobStore, platform: Platform,
              insecure_registries: Collection[str] = ()) -> BaseImage:
    """``insecure_registries``: ``HOST[:PORT]`` names a ``docker://`` base may be pulled from over HTTP."""
    transport, _, location = reference.partition(":")
    if transport == "oci":
        directory, tag = _split_tag(location)
        return _from_oci_layout(directory, tag, store, platform)
    if transport == "docker-archive":
        return _from_docker_archive(location, store)
    if transport == "docker" and location.startswith("//"):
        return _from_registry(location[2:], store, platform, insecure_registries)
    raise BaseImageError(f"unsupported base {reference!r}: use oci:DIR[:TAG], docker-archive:FILE "
                         "or docker://[REGISTRY/]NAME[:TAG]")


def _split_tag(location: str) -> tuple[str, str | None]:
    directory, colon, tag = location.rpartition(":")
    if colon and "/" not in tag and directory:
        return directory, tag
    return location, None


def _read_verified(path: str, expected: Digest) -> bytes:
    with open(path, "rb") as handle:
        data = handle.read()
    if Digest.of(data) != expected:
        raise DigestMismatch(f"{path} does not match its digest {expected}")
    return data


def _from_oci_layout(directory: str, tag: str | None, store: BlobStore, platform: Platform) -> BaseImage:
    def blob(digest: Digest) -> str:
        return os.path.join(directory, "blobs", digest.algorithm, digest.hex)

    try:
        with open(os.path.join(directory, "index.json"), "rb") as handle:
            index = Index.from_bytes(handle.read())
    except FileNotFoundError:
        raise BaseImageError(f"{directory} is not an OCI image layout (no index.json)") from None
    candidates = [m for m in index.manifests
                  if tag is None or m.annotation(mediatypes.REF_NAME_ANNOTATION) == tag]
    if len(candidates) != 1:
        raise BaseImageError(f"{directory}: {'no image tagged ' + repr(tag) if tag else 'several images, name a tag'}")
    descriptor = candidates[0]
    while descriptor.media_type in mediatypes.INDEX_TYPES:
        nested = Index.from_bytes(_read_verified(blob(descriptor.digest), descriptor.digest))
        descriptor = nested.for_platform(platform)
        if descriptor is None:
            raise BaseImageError(f"{directory}: no image for {platform.os}/{platform.architecture}")
    manifest = Manifest.from_bytes(_read_verified(blob(descriptor.digest), descriptor.digest))
    config = ImageConfig.from_bytes(_read_verified(blob(manifest.config.digest), manifest.config.digest))
    if len(config.diff_ids) != len(manifest.layers):
        raise BaseImageError(f"{directory}: manifest has {len(manifest.layers)} layers, config {len(config.diff_ids)}")
    for layer in manifest.layers:
        store.import_file(blob(layer.digest), layer.digest)
    layers = tuple(Layer(layer, diff_id) for layer, diff_id in zip(manifest.layers, config.diff_ids))
    return BaseImage(config, layers, str(descriptor.digest))


def _from_registry(name: str, store: BlobStore, platform: Platform, insecure: Collection[str]) -> BaseImage:
    pulled = registry.pull(registry.ImageReference.parse(name), store, platform, insecure)
    layers = tuple(Layer(layer, diff_id) for layer, diff_id in zip(pulled.manifest.layers, pulled.config.diff_ids))
    return BaseImage(pulled.config, layers, str(pulled.manifest_digest))


def _from_docker_archive(path: str, store: BlobStore) -> BaseImage:
    with tarfile.open(path) as archive:
        manifest = json.load(archive.extractfile("manifest.json"))
        if len(manifest) != 1:
            raise BaseImageError(f"{path}: holds {len(manifest)} images; one is supported")
        config_data = archive.extractfile(manifest[0]["Config"]).read()
        config = ImageConfig.from_bytes(config_data)
        layers = []
        for name, diff_id in zip(manifest[0]["Layers"], config.diff_ids, strict=True):
            layers.append(_import_archive_layer(archive, name, diff_id, store))
    return BaseImage(config, tuple(layers), str(Digest.of(config_data)))


def _import_archive_layer(archive: tarfile.TarFile, name: str, diff_id: Digest, store: BlobStore) -> Layer:
    """docker-archive layers are usually plain tars (then the digest is the diff_id); gzip'd ones
    are kept compressed and their uncompressed digest checked."""
    with store.writing() as handle:
        compressed = HashingWriter(handle)
        shutil.copyfileobj(archive.extractfile(name), compressed, 1 << 20)
        handle.flush()
        with open(handle.name, "rb") as check:
            gzipped = check.read(2) == b"\x1f\x8b"
            check.seek(0)
            uncompressed = HashingWriter()
            shutil.copyfileobj(gzip.GzipFile(fileobj=check) if gzipped else check, uncompressed, 1 << 20)
        if uncompressed.digest != diff_id:
            raise DigestMismatch(f"layer {name} does not match its diff_id {diff_id}")
        store.commit(handle, compressed.digest)
    media_type = mediatypes.OCI_LAYER_TAR_GZIP if gzipped else mediatypes.OCI_LAYER_TAR
    return Layer(Descriptor(media_type, compressed.digest, compressed.size), diff_id)
