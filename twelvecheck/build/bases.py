"""Base images for FROM: ``oci:DIR[:TAG]`` (an OCI image layout), ``docker-archive:FILE`` or
``docker://[REGISTRY/]NAME[:TAG][@DIGEST]`` (pulled over the distribution API, see registry.py).

Every blob is copied into the blob store and checked on the way in (digest, declared size, the
config's diff_id, the layer limits of layerstream.py), so a corrupted, tampered or hostile base
fails here, naming the layer, not later in a built image.  Documents (index.json, manifests,
configs, manifest.json) are read only from regular files, at most 4 MiB, and a malformed one is
a located error.
"""

from __future__ import annotations

import json
import os
import posixpath
import tarfile
from dataclasses import dataclass
from typing import Collection

from twelvecheck.build import mediatypes, registry
from twelvecheck.build.cache import BlobStore
from twelvecheck.build.digest import Digest, DigestMismatch
from twelvecheck.build.layer import Layer
from twelvecheck.build.oci import Descriptor, ImageConfig, Index, Manifest, Platform
from twelvecheck.build.registry import MAX_DOCUMENT_BYTES
from twelvecheck.build.safeio import open_regular, read_document

_MAX_NESTED_INDEXES = 4
_MAX_ARCHIVE_ENTRIES = 100_000


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


def _read_verified(path: str, descriptor: Descriptor, what: str) -> bytes:
    """A small document blob (index, manifest, config): a regular file of the declared size, at
    most MAX_DOCUMENT_BYTES, refused before reading when either is wrong; then its digest."""
    data = read_document(path, what, MAX_DOCUMENT_BYTES, descriptor.size)
    if Digest.of(data) != descriptor.digest:
        raise DigestMismatch(f"{what} {path} does not match its digest {descriptor.digest}")
    return data


def _from_oci_layout(directory: str, tag: str | None, store: BlobStore, platform: Platform) -> BaseImage:
    def blob(digest: Digest) -> str:
        return os.path.join(directory, "blobs", digest.algorithm, digest.hex)

    if not os.path.isdir(directory):
        raise BaseImageError(f"{directory} is not an OCI image layout (not a directory)")
    index_path = os.path.join(directory, "index.json")
    if not os.path.lexists(index_path):
        raise BaseImageError(f"{directory} is not an OCI image layout (no index.json)")
    index = Index.from_bytes(read_document(index_path, "index", MAX_DOCUMENT_BYTES))
    candidates = [m for m in index.manifests
                  if tag is None or m.annotation(mediatypes.REF_NAME_ANNOTATION) == tag]
    if len(candidates) != 1:
        raise BaseImageError(f"{directory}: {'no image tagged ' + repr(tag) if tag else 'several images, name a tag'}")
    descriptor = candidates[0]
    for _ in range(_MAX_NESTED_INDEXES):
        if descriptor.media_type not in mediatypes.INDEX_TYPES:
            break
        nested = Index.from_bytes(_read_verified(blob(descriptor.digest), descriptor, "index"))
        descriptor = nested.for_platform(platform)
        if descriptor is None:
            raise BaseImageError(f"{directory}: no image for {platform.os}/{platform.architecture}")
    else:
        raise BaseImageError(f"{directory}: indexes nested more than {_MAX_NESTED_INDEXES} deep")
    manifest = Manifest.from_bytes(_read_verified(blob(descriptor.digest), descriptor, "manifest"))
    config = ImageConfig.from_bytes(_read_verified(blob(manifest.config.digest), manifest.config, "image config"))
    if len(config.diff_ids) != len(manifest.layers):
        raise BaseImageError(f"{directory}: manifest has {len(manifest.layers)} layers, config {len(config.diff_ids)}")
    for number, (layer, diff_id) in enumerate(zip(manifest.layers, config.diff_ids), 1):
        where = f"base {directory}: layer {number}/{len(manifest.layers)} {layer.digest}"
        if layer.media_type not in mediatypes.OCI_LAYER_TYPE_OF:
            raise BaseImageError(f"{where}: unsupported media type {layer.media_type!r}")
        store.import_file(blob(layer.digest), layer.digest, where, size=layer.size, diff_id=diff_id)
    layers = tuple(Layer(Descriptor(mediatypes.OCI_LAYER_TYPE_OF[layer.media_type], layer.digest, layer.size),
                         diff_id) for layer, diff_id in zip(manifest.layers, config.diff_ids))
    return BaseImage(config, layers, str(descriptor.digest))


def _from_registry(name: str, store: BlobStore, platform: Platform, insecure: Collection[str]) -> BaseImage:
    pulled = registry.pull(registry.ImageReference.parse(name), store, platform, insecure)
    layers = tuple(Layer(layer, diff_id) for layer, diff_id in zip(pulled.manifest.layers, pulled.config.diff_ids))
    return BaseImage(pulled.config, layers, str(pulled.manifest_digest))


def _from_docker_archive(path: str, store: BlobStore) -> BaseImage:
    """``docker save`` output: manifest.json naming one config and its layer tars (plain or
    gzip'd).  Every name it gives must be a regular member (symlinked duplicates are followed
    inside the archive), documents are size-capped, every layer is checked against its diff_id."""
    with open_regular(path, "docker-archive", follow=True) as handle:
        try:
            archive = tarfile.open(fileobj=handle, mode="r:*")  # docker save | gzip loads too
            members = _archive_members(archive, path)
            manifest = _archive_json(archive, members, "manifest.json", path)
            if not isinstance(manifest, list) or len(manifest) != 1 or not isinstance(manifest[0], dict):
                raise BaseImageError(f"{path}: manifest.json must list exactly one image"
                                     + (f" (it holds {len(manifest)})" if isinstance(manifest, list) else ""))
            entry = manifest[0]
            config_name, layer_names = entry.get("Config"), entry.get("Layers")
            if not isinstance(config_name, str) or not isinstance(layer_names, list) \
                    or not all(isinstance(name, str) for name in layer_names):
                raise BaseImageError(f"{path}: manifest.json needs \"Config\" (a name) and \"Layers\" (a list of names)")
            config_data = _archive_bytes(archive, members, config_name, path)
            config = ImageConfig.from_bytes(config_data)
            if len(layer_names) != len(config.diff_ids):
                raise BaseImageError(f"{path}: manifest.json lists {len(layer_names)} layers, the config "
                                     f"{len(config.diff_ids)} diff_ids")
            layers = []
            for number, (name, diff_id) in enumerate(zip(layer_names, config.diff_ids), 1):
                where = f"base {path}: layer {number}/{len(layer_names)} {name}"
                stream = archive.extractfile(_regular_member(members, name, path))
                checked = store.receive(stream, None, where, diff_id=diff_id)
                media_type = mediatypes.OCI_LAYER_TAR_GZIP if checked.gzipped else mediatypes.OCI_LAYER_TAR
                layers.append(Layer(Descriptor(media_type, checked.digest, checked.compressed_size), diff_id))
        except (tarfile.TarError, EOFError) as error:
            raise BaseImageError(f"{path}: not a readable docker-archive ({error})") from None
    return BaseImage(config, tuple(layers), str(Digest.of(config_data)))


def _archive_members(archive: tarfile.TarFile, path: str) -> dict[str, tarfile.TarInfo]:
    """The archive's entries by normalised name; a docker-archive has a handful per layer."""
    members = {}
    while (member := archive.next()) is not None:
        if len(members) >= _MAX_ARCHIVE_ENTRIES:
            raise BaseImageError(f"{path}: more than {_MAX_ARCHIVE_ENTRIES} entries; not a docker-archive")
        members[posixpath.normpath(member.name)] = member
    archive.members = []  # what next() collected: we keep our own map
    return members


def _regular_member(members: dict[str, tarfile.TarInfo], name: str, path: str) -> tarfile.TarInfo:
    """The regular entry ``name`` leads to, following in-archive links (docker save links
    identical layers), a few steps at most."""
    wanted = posixpath.normpath(name)
    for _ in range(8):
        member = members.get(wanted)
        if member is None:
            raise BaseImageError(f"{path}: manifest.json names {name!r}, which the archive does not hold")
        if member.isreg():
            return member
        if member.issym():
            wanted = posixpath.normpath(posixpath.join(posixpath.dirname(wanted), member.linkname))
        elif member.islnk():
            wanted = posixpath.normpath(member.linkname)
        else:
            break
    raise BaseImageError(f"{path}: {name!r} is not a regular file in the archive")


def _archive_bytes(archive: tarfile.TarFile, members: dict[str, tarfile.TarInfo], name: str, path: str) -> bytes:
    member = _regular_member(members, name, path)
    if member.size > MAX_DOCUMENT_BYTES:
        raise BaseImageError(f"{path}: {name} is {member.size} bytes (limit {MAX_DOCUMENT_BYTES})")
    return archive.extractfile(member).read()


def _archive_json(archive: tarfile.TarFile, members: dict[str, tarfile.TarInfo], name: str, path: str):
    data = _archive_bytes(archive, members, name, path)
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as error:
        raise BaseImageError(f"{path}: {name} is not valid JSON ({str(error)[:100]})") from None
