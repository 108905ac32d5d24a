"""Content digests (OCI image spec ``descriptor.md#digests``) and streams that compute them.

Digests are always taken from the exact bytes that are stored or sent, never from a re-encoding,
so a blob's name and its content cannot drift apart.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import BinaryIO

_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


class DigestMismatch(ValueError):
    """A blob's bytes do not hash to the digest that names it."""


@dataclass(frozen=True, slots=True, order=True)
class Digest:
    algorithm: str
    hex: str

    @classmethod
    def parse(cls, text: str) -> Digest:
        algorithm, _, hex_part = text.partition(":")
        if algorithm != "sha256" or not _SHA256_HEX.fullmatch(hex_part):
            raise ValueError(f"not a sha256 digest: {text!r}")
        return cls(algorithm, hex_part)

    @classmethod
    def of(cls, data: bytes) -> Digest:
        return cls("sha256", hashlib.sha256(data).hexdigest())

    def __str__(self) -> str:
        return f"{self.algorithm}:{self.hex}"


class HashingWriter:
    """A write-only stream that hashes and counts what passes through it to ``target``."""

    def __init__(self, target: BinaryIO | None = None):
        self._target = target
        self._hash = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self._hash.update(data)
        self.size += len(data)
        if self._target is not None:
            self._target.write(data)
        return len(data)

    def tell(self) -> int:  # tarfile asks where it is
        return self.size

    def flush(self) -> None:
        if self._target is not None:
            self._target.flush()

    @property
    def digest(self) -> Digest:
        return Digest("sha256", self._hash.hexdigest())
