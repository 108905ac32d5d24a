"""The content-addressed blob store and build cache.

Blobs live under ``blobs/sha256/HEX`` and are named by their digest.  A cache entry maps a step key
(parent key + instruction after expansion + digests of what the step read) to the layer it made
and the changes it recorded.  Everything is written to a temporary file in the same directory and
renamed into place, and entries are written under an exclusive lock, so concurrent builds sharing
a cache directory never see or leave a torn file.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from typing import BinaryIO, Iterator

from twelvecheck.build.diff import Change
from twelvecheck.build.digest import Digest
from twelvecheck.build.layer import Layer
from twelvecheck.build.layerstream import BlobMismatch, LayerStream, Limits, verify_layer
from twelvecheck.build.oci import Descriptor
from twelvecheck.build.safeio import open_regular

_FORMAT = 1  # bump when an entry's meaning changes, so old entries are not reused


def step_key(parent: str, instruction: str, inputs: tuple[str, ...] = ()) -> str:
    document = json.dumps({"format": _FORMAT, "parent": parent, "instruction": instruction,
                           "inputs": list(inputs)}, sort_keys=True)
    return hashlib.sha256(document.encode()).hexdigest()


@dataclass(frozen=True)
class CachedStep:
    layer: Layer | None
    changes: tuple[Change, ...]

    def to_json(self) -> dict:
        layer = None
        if self.layer:
            layer = {"descriptor": self.layer.descriptor.to_json(), "diff_id": str(self.layer.diff_id)}
        return {"layer": layer, "changes": [change.to_json() for change in self.changes]}

    @classmethod
    def from_json(cls, data: dict) -> CachedStep:
        layer = None
        if data["layer"]:
            layer = Layer(Descriptor.from_json(data["layer"]["descriptor"]), Digest.parse(data["layer"]["diff_id"]))
        return cls(layer, tuple(Change(**change) for change in data["changes"]))


class BlobStore:
    def __init__(self, directory: str):
        self.directory = os.path.join(directory, "blobs", "sha256")
        self._diff_ids = os.path.join(directory, "diff_ids")  # blob hex -> diff_id it was seen to have
        os.makedirs(self.directory, exist_ok=True)

    def path(self, digest: Digest) -> str:
        return os.path.join(self.directory, digest.hex)

    def has(self, digest: Digest) -> bool:
        return os.path.exists(self.path(digest))

    @contextlib.contextmanager
    def writing(self) -> Iterator[BinaryIO]:
        """Yield a temp file; the caller names it with ``commit(handle, digest)``; else it vanishes
        (on any exception, KeyboardInterrupt included)."""
        fd, temp = tempfile.mkstemp(prefix=".incoming-", dir=self.directory)
        os.close(fd)
        try:
            with open(temp, "wb") as handle:  # a named handle: commit() renames it
                yield handle
        finally:
            if os.path.exists(temp):
                os.unlink(temp)

    def commit(self, handle: BinaryIO, digest: Digest) -> None:
        handle.flush()
        os.replace(handle.name, self.path(digest))

    def import_file(self, source: str, expected: Digest, where: str, *, size: int | None = None,
                    diff_id: Digest | None = None) -> None:
        """Copy a layer blob from elsewhere (a base image's layout), checking its digest, size and
        diff_id on the way in; a blob already here is only checked against ``diff_id``."""
        if self.has(expected):
            self.check_diff_id(expected, diff_id, where)
            return
        with open_regular(source, where) as data:
            self.receive(data, expected, where, size, diff_id=diff_id)

    def receive(self, stream: BinaryIO, expected: Digest | None, origin: str, size: int | None = None, *,
                diff_id: Digest | None = None, limits: Limits | None = None) -> LayerStream:
        """Store the layer ``stream`` yields as blob ``expected`` (None: named by its content),
        checked as it arrives (layerstream.py): bytes that do not match the digest, the size or
        the diff_id, or that break the limits, never get a name here."""
        with self.writing() as handle:
            checked = verify_layer(stream, origin, digest=expected, size=size, diff_id=diff_id,
                                   limits=limits, sink=handle)
            self.commit(handle, checked.digest)
        self._record_diff_id(checked.digest, checked.diff_id)
        return checked

    def check_diff_id(self, digest: Digest, diff_id: Digest | None, where: str) -> None:
        """A blob already stored is ``diff_id`` uncompressed: as recorded, else read once to see."""
        if diff_id is None:
            return
        record = os.path.join(self._diff_ids, digest.hex)
        try:
            with open(record, encoding="ascii") as handle:
                known = handle.read().strip()
        except FileNotFoundError:
            with open(self.path(digest), "rb") as blob:
                known = str(verify_layer(blob, where).diff_id)
            self._record_diff_id(digest, Digest.parse(known))
        if known != str(diff_id):
            raise BlobMismatch(f"{where}: its tar content is {known}, but the image config lists diff_id {diff_id}")

    def _record_diff_id(self, digest: Digest, diff_id: Digest) -> None:
        os.makedirs(self._diff_ids, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".incoming-", dir=self._diff_ids)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(str(diff_id))
        os.replace(temp, os.path.join(self._diff_ids, digest.hex))


class BuildCache:
    def __init__(self, directory: str):
        self.directory = directory
        self.blobs = BlobStore(directory)
        self._entries = os.path.join(directory, "steps")
        os.makedirs(self._entries, exist_ok=True)

    def get(self, key: str) -> CachedStep | None:
        try:
            with open(os.path.join(self._entries, key + ".json"), "rb") as handle:
                step = CachedStep.from_json(json.load(handle))
        except FileNotFoundError:
            return None
        if step.layer and not self.blobs.has(step.layer.descriptor.digest):
            return None  # its blob was removed: rebuild rather than fail later
        return step

    def put(self, key: str, step: CachedStep) -> None:
        with self._locked():
            fd, temp = tempfile.mkstemp(prefix=".incoming-", dir=self._entries)
            with os.fdopen(fd, "w") as handle:
                json.dump(step.to_json(), handle, sort_keys=True)
            os.replace(temp, os.path.join(self._entries, key + ".json"))

    def mount_dir(self, mount_id: str) -> str:
        """The persistent directory behind ``RUN --mount=type=cache,id=...``."""
        path = os.path.join(self.directory, "mounts", hashlib.sha256(mount_id.encode()).hexdigest()[:32])
        os.makedirs(path, exist_ok=True)
        return path

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        with open(os.path.join(self.directory, "lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
