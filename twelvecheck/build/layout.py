"""Writing a built image: an OCI image layout directory or a docker-archive tarball.

Both are written next to the target under a temporary name and renamed into place, so a reader
(or a crash) never sees half an image.  Blobs are hard-linked from the blob store when it is on
the same filesystem and copied otherwise.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import tarfile
import tempfile
from typing import Callable

from twelvecheck.build import mediatypes
from twelvecheck.build.digest import Digest
from twelvecheck.build.oci import ImageConfig, Index, Manifest, canonical_json

BlobPath = Callable[[Digest], str]  # where the blob store keeps a blob


def write_oci_layout(target: str, manifest: Manifest, config: ImageConfig, blob_path: BlobPath,
                     tag: str | None = None) -> None:
    """Replace ``target`` with an image layout holding this one image, named ``tag`` if given."""
    annotations = ((mediatypes.REF_NAME_ANNOTATION, tag),) if tag else ()
    index = Index(manifests=(manifest.descriptor(annotations=annotations),))
    parent = os.path.dirname(os.path.abspath(target))
    os.makedirs(parent, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=".oci-", dir=parent)
    try:
        blobs = os.path.join(staging, "blobs", "sha256")
        os.makedirs(blobs)
        for layer in manifest.layers:
            _link_or_copy(blob_path(layer.digest), os.path.join(blobs, layer.digest.hex))
        for blob in (config, manifest):
            with open(os.path.join(blobs, blob.digest.hex), "wb") as handle:
                handle.write(blob.data)
        with open(os.path.join(staging, "oci-layout"), "wb") as handle:
            handle.write(canonical_json({"imageLayoutVersion": mediatypes.OCI_LAYOUT_VERSION}))
        with open(os.path.join(staging, "index.json"), "wb") as handle:
            handle.write(index.data)
        _readable_by_all(staging)
        _swap_into_place(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def write_docker_archive(target: str, manifest: Manifest, config: ImageConfig, blob_path: BlobPath,
                         tag: str | None = None) -> None:
    """Write what ``docker save`` writes: manifest.json, the config, one uncompressed tar per layer."""
    parent = os.path.dirname(os.path.abspath(target))
    os.makedirs(parent, exist_ok=True)
    fd, staging = tempfile.mkstemp(prefix=".docker-archive-", dir=parent)
    try:
        with os.fdopen(fd, "wb") as out, tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
            layer_names = []
            for layer, diff_id in zip(manifest.layers, config.diff_ids):
                name = f"{diff_id.hex}/layer.tar"
                _add_uncompressed_layer(tar, name, blob_path(layer.digest), layer.media_type, parent)
                layer_names.append(name)
            config_name = f"{config.digest.hex}.json"
            _add_bytes(tar, config_name, config.data)
            entry = {"Config": config_name, "RepoTags": [tag] if tag else [], "Layers": layer_names}
            _add_bytes(tar, "manifest.json", json.dumps([entry]).encode())
        os.chmod(staging, 0o644)
        os.replace(staging, target)
    except BaseException:
        if os.path.exists(staging):
            os.unlink(staging)
        raise


def _add_uncompressed_layer(tar: tarfile.TarFile, name: str, blob: str, media_type: str, scratch: str) -> None:
    """docker-archive layers are plain tars; the header needs the size, so inflate to a temp file."""
    opener = gzip.open if media_type in mediatypes.GZIP_LAYER_TYPES else open
    with opener(blob, "rb") as source, tempfile.TemporaryFile(dir=scratch) as plain:
        shutil.copyfileobj(source, plain, 1 << 20)
        info = _file_info(name, plain.tell())
        plain.seek(0)
        tar.addfile(info, plain)


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    tar.addfile(_file_info(name, len(data)), io.BytesIO(data))


def _file_info(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, 0o644, 0
    return info


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _readable_by_all(directory: str) -> None:
    os.chmod(directory, 0o755)
    for parent, dirs, files in os.walk(directory):
        for name in dirs:
            os.chmod(os.path.join(parent, name), 0o755)
        for name in files:
            path = os.path.join(parent, name)
            if os.stat(path).st_mode & 0o444 != 0o444:
                os.chmod(path, 0o644)


def _swap_into_place(staging: str, target: str) -> None:
    if not os.path.lexists(target):
        os.rename(staging, target)
        return
    retired = tempfile.mkdtemp(prefix=".oci-old-", dir=os.path.dirname(os.path.abspath(target)))
    os.rename(target, os.path.join(retired, "image"))
    os.rename(staging, target)
    shutil.rmtree(retired)
