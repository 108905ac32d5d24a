"""Writing a built image: an OCI image layout directory or a docker-archive tarball.

Nothing the user had is destroyed: ``oci:DIR`` is made beside DIR and renamed into place when DIR
is missing, written into an empty DIR, or added to an existing image layout (blobs first, then
index.json renamed over the old one, under a lock); any other DIR is refused.  A docker-archive
goes through ``twelvecheck.outputs.write_output`` (atomic beside a regular file or a symlink's
target, in place into a device or FIFO).  A reader (or a crash, Ctrl-C, SIGTERM) never sees half
an image, and temporary files are removed.  Blobs are hard-linked from the blob store when it is
on the same filesystem and copied otherwise.
"""

from __future__ import annotations

import contextlib
import fcntl
import gzip
import io
import json
import os
import shutil
import stat
import tarfile
import tempfile
from typing import BinaryIO, Callable

from twelvecheck.build import mediatypes
from twelvecheck.build.digest import Digest
from twelvecheck.build.oci import Descriptor, DocumentError, ImageConfig, Index, Manifest, canonical_json
from twelvecheck.build.safeio import UnreadableInput, read_document
from twelvecheck.outputs import OutputError, terminate_as_exit, write_output

BlobPath = Callable[[Digest], str]  # where the blob store keeps a blob
_LAYOUT_FILE = canonical_json({"imageLayoutVersion": mediatypes.OCI_LAYOUT_VERSION})
_MAX_INDEX_BYTES = 64 << 20  # an index.json we add to: one entry per image, so larger than a manifest


def check_output(output: str) -> None:
    """Refuse, before a build, an ``--output`` it could not write: an unknown transport, an
    ``oci:DIR`` that is neither missing, empty nor an image layout, a ``docker-archive:`` path
    that is a directory."""
    transport, _, location = output.partition(":")
    if transport not in ("oci", "docker-archive") or not location:
        raise OutputError(f"unknown output {output!r}: use oci:DIR or docker-archive:FILE")
    if transport == "oci":
        _layout_state(location)
    elif os.path.isdir(location):
        raise OutputError(f"cannot write {location}: it is a directory")


def _layout_state(target: str) -> str:
    """``missing``, ``empty`` or ``layout``; anything else is refused (never emptied)."""
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        return "missing"
    except OSError as error:
        raise OutputError(f"cannot write {target}: {error.strerror or error}") from None
    if not stat.S_ISDIR(mode):
        raise OutputError(f"cannot write an image layout to {target}: it exists and is not a directory")
    names = set(os.listdir(target))
    if not names:
        return "empty"
    if {"oci-layout", "index.json"} <= names:
        return "layout"
    raise OutputError(f"refusing to write an image layout into {target}: it is neither empty nor an OCI "
                      "image layout (no oci-layout and index.json), and its files are not ours to replace")


def write_oci_layout(target: str, manifest: Manifest, config: ImageConfig, blob_path: BlobPath,
                     tag: str | None = None) -> None:
    """Write this image as an OCI image layout at ``target``: a new directory (made beside it and
    renamed into place), an empty directory, or an existing layout the image is added to (its
    index entry for ``tag`` replaced).  Anything else is refused with OutputError."""
    annotations = ((mediatypes.REF_NAME_ANNOTATION, tag),) if tag else ()
    entry = manifest.descriptor(annotations=annotations)
    with terminate_as_exit():
        try:
            if _layout_state(target) == "missing":
                _write_new_layout(target, manifest, config, blob_path, entry)
            else:
                _add_to_layout(target, manifest, config, blob_path, entry, tag)
        except OSError as error:
            if isinstance(error, OutputError):
                raise
            raise OutputError(f"cannot write image layout {target}: {error.strerror or error}") from None


def _write_new_layout(target: str, manifest: Manifest, config: ImageConfig, blob_path: BlobPath,
                      entry: Descriptor) -> None:
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
            handle.write(_LAYOUT_FILE)
        with open(os.path.join(staging, "index.json"), "wb") as handle:
            handle.write(Index(manifests=(entry,)).data)
        _readable_by_all(staging)
        os.rename(staging, target)  # fails if someone made the directory meanwhile: nothing replaced
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _add_to_layout(target: str, manifest: Manifest, config: ImageConfig, blob_path: BlobPath,
                   entry: Descriptor, tag: str | None) -> None:
    """Blobs first (each renamed into place), index.json last, all under a lock on the directory,
    so readers and concurrent writers see the old index or the new one."""
    fd = os.open(target, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        state = _layout_state(target)  # again, under the lock
        existing: tuple[Descriptor, ...] = ()
        if state == "layout":
            try:
                existing = Index.from_bytes(read_document(os.path.join(target, "index.json"), "index",
                                                          _MAX_INDEX_BYTES)).manifests
            except (DocumentError, UnreadableInput) as error:
                raise OutputError(f"refusing to add to {target}: its index.json is unusable ({error})") from None
        blobs = _real_directory(target, "blobs", "sha256")
        for layer in manifest.layers:
            _place_blob(blobs, layer.digest.hex, lambda temp, source=blob_path(layer.digest): _link_or_copy(source, temp))
        for blob in (config, manifest):
            _place_blob(blobs, blob.digest.hex, lambda temp, data=blob.data: _write_bytes(temp, data))
        if not os.path.lexists(os.path.join(target, "oci-layout")):
            _place_blob(target, "oci-layout", lambda temp: _write_bytes(temp, _LAYOUT_FILE))
        kept = tuple(item for item in existing
                     if item.digest != entry.digest or item.annotations != entry.annotations)
        if tag:
            kept = tuple(item for item in kept if item.annotation(mediatypes.REF_NAME_ANNOTATION) != tag)
        index = Index(manifests=kept + (entry,))
        _place_blob(target, "index.json", lambda temp: _write_bytes(temp, index.data), replace=True)
    finally:
        os.close(fd)  # releases the lock


def _real_directory(base: str, *names: str) -> str:
    """``base/names...``, made if missing; a symlink or non-directory on the way is refused."""
    path = base
    for name in names:
        path = os.path.join(path, name)
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            os.mkdir(path, 0o755)
            continue
        if not stat.S_ISDIR(mode):
            raise OutputError(f"refusing to write into {path}: it is a symlink or not a directory")
    return path


def _place_blob(directory: str, name: str, make: Callable[[str], None], replace: bool = False) -> None:
    """Make ``directory/name`` by ``make(temporary path)`` and a rename; a blob already present
    (named by its digest) is kept unless ``replace``."""
    final = os.path.join(directory, name)
    if not replace and os.path.lexists(final):
        return
    temporary = os.path.join(directory, f".twelvecheck-{os.getpid()}-{name}")
    try:
        make(temporary)
        os.chmod(temporary, 0o644)
        os.replace(temporary, final)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _write_bytes(path: str, data: bytes) -> None:
    with open(path, "xb") as handle:
        handle.write(data)


def write_docker_archive(target: str, manifest: Manifest, config: ImageConfig, blob_path: BlobPath,
                         tag: str | None = None) -> None:
    """Write what ``docker save`` writes: manifest.json, the config, one uncompressed tar per
    layer; through outputs.write_output (atomic beside a file, in place into a device or FIFO)."""
    def produce(out: BinaryIO) -> None:
        with tarfile.open(fileobj=out, mode="w|", format=tarfile.PAX_FORMAT) as tar:
            layer_names = []
            for layer, diff_id in zip(manifest.layers, config.diff_ids):
                name = f"{diff_id.hex}/layer.tar"
                blob = blob_path(layer.digest)  # inflated beside the store: same disk, not the target's
                _add_uncompressed_layer(tar, name, blob, layer.media_type, os.path.dirname(blob))
                layer_names.append(name)
            config_name = f"{config.digest.hex}.json"
            _add_bytes(tar, config_name, config.data)
            entry = {"Config": config_name, "RepoTags": [tag] if tag else [], "Layers": layer_names}
            _add_bytes(tar, "manifest.json", json.dumps([entry]).encode())

    parent = os.path.dirname(os.path.abspath(target))
    try:
        os.makedirs(parent, exist_ok=True)
    except OSError as error:
        raise OutputError(f"cannot write {target}: {error.strerror or error}") from None
    write_output(target, produce)


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
