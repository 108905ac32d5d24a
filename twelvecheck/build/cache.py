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
from twelvecheck.build.digest import Digest, DigestMismatch, HashingWriter
from twelvecheck.build.layer import Layer
from twelvecheck.build.oci import Descriptor

_CHUNK = 1 << 20
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
        os.makedirs(self.directory, exist_ok=True)

    def path(self, digest: Digest) -> str:
        return os.path.join(self.directory, digest.hex)

    def has(self, digest: Digest) -> bool:
        return os.path.exists(self.path(digest))

    @contextlib.contextmanager
    def writing(self) -> Iterator[BinaryIO]:
        """Yield a temp file; the caller names it with ``commit(handle, digest)``; else it vanishes."""
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

    def import_file(self, source: str, expected: Digest) -> None:
        """Copy a blob from elsewhere (a base image), checking its digest on the way in."""
        if self.has(expected):
            return
        with open(source, "rb") as data:
            self.receive(data, expected, source)

    def receive(self, stream: BinaryIO, expected: Digest, origin: str, size: int | None = None) -> None:
        """Store what ``stream`` yields as blob ``expected``, hashing it as it arrives: bytes that
        do not match (or run past ``size``) never get the blob's name."""
        with self.writing() as handle:
            hashing = HashingWriter(handle)
            while chunk := stream.read(_CHUNK):
                hashing.write(chunk)
                if size is not None and hashing.size > size:
                    raise DigestMismatch(f"{origin} sends more than the {size} bytes of {expected}")
            if hashing.digest != expected:
                raise DigestMismatch(f"{origin} should be {expected} but its content is {hashing.digest}")
            self.commit(handle, expected)


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
