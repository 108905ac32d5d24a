"""Reading a layer blob as a stream of tar bytes, checked while the bytes pass.

``LayerStream`` decompresses a layer (gzip or plain tar), hashes the compressed bytes against the
blob's digest and declared size and the tar bytes against the config's ``diff_id``, and walks the
tar headers as they go by (``TarGuard``), so a layer that is over a limit is refused at the
header that crosses it, before its data is read or written: too many entries, entry sizes beyond
the byte budget (a gzip bomb declares its size up front), an extended header too large to hold in
memory, a sparse entry (its real size is not its stored size).  The guard follows the tar
structure exactly as :mod:`tarfile` reads it (which entries carry data, how pax ``size`` and
GNU long names apply), so the extractor never sees an entry the guard has not counted.  A header
with a bad checksum stops the stream: after it, guard and reader could disagree.

Every error is an ``UnpackError`` whose message starts with where the layer came from and names
the entry.
"""

from __future__ import annotations

import hashlib
import os
import zlib
from dataclasses import dataclass
from typing import BinaryIO

from twelvecheck.build.digest import Digest, DigestMismatch

_BLOCK = 512
_CHUNK = 1 << 20
_MAX_EXTENDED_HEADER = 1 << 20  # pax and GNU long-name data is held in memory by the reader
_MAX_TRAILING = 16 << 20  # padding after the end-of-archive marker
_REGULAR = {b"0", b"\0", b"7"}  # tarfile's regular types other than sparse: they carry data
_NO_DATA = {b"1", b"2", b"3", b"4", b"5", b"6"}  # links, devices, directories, fifos
_PAX = {b"x", b"X"}  # X: Solaris' name for x
_GLOBAL_PAX = b"g"
_GNU_LONG = {b"L", b"K"}
_SPARSE = b"S"
_EXTENDED = _PAX | _GNU_LONG | {_GLOBAL_PAX}
_ZERO_BLOCK = bytes(_BLOCK)


class UnpackError(ValueError):
    """A layer or archive that is unsafe, malformed, corrupt or over a limit; the message says
    which layer (or archive) and which entry."""


class BlobMismatch(UnpackError, DigestMismatch):
    """The bytes are not what the descriptor or the config says: digest, size or diff_id."""


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.isdigit() else default


@dataclass(frozen=True)
class Limits:
    """Per layer: how many entries, and how many bytes its entries may declare in total.

    Defaults hold every real image we know of (the largest layers seen have a few hundred
    thousand files and ~10 GiB); ``TWELVECHECK_MAX_LAYER_ENTRIES`` and
    ``TWELVECHECK_MAX_LAYER_BYTES`` change them.  Unpacking also stops at the free space of the
    filesystem it writes to.
    """

    max_entries: int = 1_000_000
    max_bytes: int = 32 << 30

    @classmethod
    def from_env(cls) -> Limits:
        return cls(_env_int("TWELVECHECK_MAX_LAYER_ENTRIES", cls.max_entries),
                   _env_int("TWELVECHECK_MAX_LAYER_BYTES", cls.max_bytes))


def _number(field: bytes) -> int:
    """tarfile's ``nti``: octal text, or base-256 when the first byte has its high bit set."""
    if field[0] & 0x80:
        value = int.from_bytes(field[1:], "big")
        return value - (256 ** (len(field) - 1)) if field[0] == 0xFF else value
    end = field.find(b"\0")
    text = field if end < 0 else field[:end]
    try:
        return int(text, 8) if text.strip() else 0  # int() ignores surrounding spaces
    except ValueError:
        raise ValueError(f"bad number {bytes(field)!r} in tar header") from None


def _text(field: bytes) -> str:
    return field.split(b"\0", 1)[0].decode("utf-8", "surrogateescape")


def _checksum_ok(header: bytes) -> bool:
    """POSIX sums the header's bytes unsigned (the checksum field as spaces); some old tars signed."""
    try:
        stored = _number(header[148:156])
    except ValueError:
        return False
    # Adler-32's low half is 1 + the byte sum modulo 65521: the sum in C.  Modulo 65521 is weaker
    # than tarfile's exact test, which is safe: what tarfile refuses, it stops at.
    field = sum(header[148:156])
    if ((zlib.adler32(header) & 0xFFFF) - 1 - field + 256 - stored) % 65521 == 0:
        return True
    rest = header[:148] + header[156:]
    return stored == sum(rest) + 256 - 256 * sum(1 for byte in rest if byte > 127)


def _entry_name(header: bytes) -> str:
    name = _text(header[0:100])
    if header[257:262] == b"ustar" and header[345:500].strip(b"\0"):
        name = f"{_text(header[345:500])}/{name}"
    return name


def _pax_records(data: bytes) -> dict[str, str]:
    """``LENGTH KEY=VALUE\\n`` records (POSIX pax); malformed ones end the parse."""
    records, position = {}, 0
    while position < len(data):
        space = data.find(b" ", position)
        if space < 0:
            break
        try:
            length = int(data[position:space])
        except ValueError:
            break
        if length <= 0:
            break
        record = data[space + 1:position + length - 1]
        key, _, value = record.partition(b"=")
        records[key.decode("utf-8", "surrogateescape")] = value.decode("utf-8", "surrogateescape")
        position += length
    return records


class TarGuard:
    """Follows the tar structure through ``feed(bytes)`` and enforces ``limits``."""

    def __init__(self, where: str, limits: Limits, budget: int | None = None):
        self.where = where
        self.limits = limits
        self.budget = limits.max_bytes if budget is None else min(budget, limits.max_bytes)
        self.entries = 0
        self.declared = 0
        self.ended = False
        self.trailing = 0
        self._header = bytearray()
        self._skip = 0
        self._collect: bytearray | None = None  # data of an extended header being read
        self._collect_size = 0
        self._collect_type = b""
        self._sparse_blocks = False  # old GNU sparse extension blocks follow
        self._globals: dict[str, str] = {}
        self._pending: dict[str, str] = {}  # pax records for the next entry
        self._long_name: str | None = None
        self._last: tuple[bytes, str | None, str | None] = (b"", None, None)  # for messages

    @property
    def name(self) -> str:
        """The last entry's name (worked out only for messages)."""
        header, pax_path, long_name = self._last
        return pax_path or long_name or (_entry_name(header) if header else "")

    def fail(self, message: str, name: str | None = None) -> UnpackError:
        name = self.name if name is None else name
        return UnpackError(f"{self.where}: entry {name!r}: {message}" if name else f"{self.where}: {message}")

    def feed(self, data: bytes) -> None:
        position, end = 0, len(data)
        while position < end:
            if self.ended:
                self.trailing += end - position
                if self.trailing > _MAX_TRAILING:
                    raise self.fail(f"more than {_MAX_TRAILING} bytes after the end of the archive", "")
                return
            if self._skip:
                take = min(self._skip, end - position)
                if self._collect is not None:
                    self._collect += data[position:position + take]
                self._skip -= take
                position += take
                if not self._skip and self._collect is not None:
                    self._extended_done()
                continue
            if not self._header and end - position >= _BLOCK:  # the usual case: a whole header here
                self._block(data[position:position + _BLOCK])
                position += _BLOCK
                continue
            take = min(_BLOCK - len(self._header), end - position)
            self._header += data[position:position + take]
            position += take
            if len(self._header) == _BLOCK:
                header = bytes(self._header)
                self._header.clear()
                self._block(header)

    def finish(self) -> None:
        """At the end of the tar bytes: an archive cut in the middle of an entry is an error."""
        if not self.ended and (self._skip or self._header or self._collect is not None):
            raise self.fail("the archive ends in the middle of an entry (truncated)")

    def _block(self, header: bytes) -> None:
        if self._sparse_blocks:
            self._sparse_blocks = bool(header[504])
            return
        if header == _ZERO_BLOCK:
            self.ended = True  # tarfile stops at the first zero block too
            return
        if not _checksum_ok(header):
            self._last = (header, None, None)
            raise self.fail("bad tar header checksum (corrupt, or not a tar)")
        kind = header[156:157]
        try:
            size = _number(header[124:136])
        except ValueError as error:
            self._last = (header, None, None)
            raise self.fail(str(error)) from None
        if kind in _EXTENDED:
            if not 0 <= size <= _MAX_EXTENDED_HEADER:
                raise self.fail(f"extended header of {size} bytes (limit {_MAX_EXTENDED_HEADER})")
            self._collect, self._collect_size, self._collect_type = bytearray(), size, kind
            self._skip = -(-size // _BLOCK) * _BLOCK
            if not self._skip:
                self._extended_done()
            return
        pax = self._pending
        if pax:
            self._pending = {}
            if any(key.startswith("GNU.sparse.") for key in pax):
                self._last = (header, pax.get("path"), self._long_name)
                raise self.fail("sparse entries are not supported (their unpacked size is not their stored size)")
            if "size" in pax:
                try:
                    size = int(pax["size"])
                except ValueError:
                    raise self.fail(f"bad pax size {pax['size']!r}") from None
        self._last = (header, pax.get("path"), self._long_name)
        self._long_name = None
        if kind == _SPARSE:
            raise self.fail("sparse entries are not supported (their unpacked size is not their stored size)")
        if size < 0:
            raise self.fail(f"negative size {size}")
        self.entries += 1
        if self.entries > self.limits.max_entries:
            raise self.fail(f"more than {self.limits.max_entries} entries in one layer (limit; "
                            "TWELVECHECK_MAX_LAYER_ENTRIES changes it)")
        if kind in _NO_DATA or (kind == b"\0" and _text(header[0:100]).endswith("/")):
            return  # tarfile reads no data after these (an old-style directory included)
        self.declared += size
        if self.declared > self.budget:
            raise self.fail(f"the layer's entries declare more than {self.budget} bytes "
                            f"({self._budget_reason()}); refusing before unpacking it")
        self._skip = -(-size // _BLOCK) * _BLOCK

    def _budget_reason(self) -> str:
        if self.budget < self.limits.max_bytes:
            return "the free space where it is unpacked"
        return "limit; TWELVECHECK_MAX_LAYER_BYTES changes it"

    def _extended_done(self) -> None:
        data = bytes(self._collect[:self._collect_size])
        kind = self._collect_type
        self._collect = None
        if kind in _GNU_LONG:
            if kind == b"L":
                self._long_name = data.split(b"\0", 1)[0].decode("utf-8", "surrogateescape")
            return
        records = _pax_records(data)
        if kind == _GLOBAL_PAX:
            self._globals.update(records)
            if any(key.startswith("GNU.sparse.") for key in records):
                raise self.fail("sparse entries are not supported", "")
        else:
            self._pending = {**self._globals, **records}


class LayerStream:
    """A read-only stream of a layer's tar bytes (see the module docstring).

    ``digest``/``size`` are the blob's (compressed) digest and size, ``diff_id`` the digest of its
    tar bytes; each is checked when given.  ``budget`` lowers the byte limit (free space).
    Call ``finish()`` after reading: it reads what the reader left and checks the digests.
    """

    def __init__(self, source: BinaryIO, where: str, limits: Limits | None = None, *,
                 digest: Digest | None = None, size: int | None = None, diff_id: Digest | None = None,
                 budget: int | None = None, compute_digests: bool = False):
        self.where = where
        self.guard = TarGuard(where, limits or Limits.from_env(), budget)
        self._source = source
        self._digest, self._size, self._diff_id = digest, size, diff_id
        # Hashing costs a pass over the bytes: only when asked (a blob store's blobs were checked
        # on the way in, so unpacking them again needs no hash).
        self._compressed_hash = hashlib.sha256() if digest or compute_digests else None
        self._plain_hash = hashlib.sha256() if diff_id or compute_digests else None
        self.compressed_size = 0
        self.gzipped: bool | None = None
        self._inflater = None
        self._tail = b""  # compressed input the inflater has not consumed yet
        self._buffer = b""
        self._offset = 0
        self._position = 0  # tar bytes handed out or skipped so far
        self._eof = False
        self._finished = False

    # -- the file-like side tarfile uses ------------------------------------------------------
    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            parts = [self._buffer[self._offset:]]
            self._buffer, self._offset = b"", 0
            while not self._eof:
                parts.append(self._next_chunk())
            data = b"".join(parts)
        else:
            while len(self._buffer) - self._offset < size and not self._eof:
                chunk = self._next_chunk()
                if chunk:
                    self._buffer = self._buffer[self._offset:] + chunk
                    self._offset = 0
            data = self._buffer[self._offset:self._offset + size]
            self._offset += len(data)
        self._position += len(data)
        return data

    # Forward seeks let tarfile's random-access mode skip a member's data without copying it
    # (the skipped bytes still pass the guard and the hashes).
    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, position: int, whence: int = 0) -> int:
        target = position if whence == 0 else self._position + position
        if target < self._position:
            raise OSError(f"{self.where}: a layer stream only reads forward")
        skip = target - self._position
        held = min(skip, len(self._buffer) - self._offset)
        self._offset += held
        skip -= held
        while skip and not self._eof:
            chunk = self._next_chunk()
            if len(chunk) <= skip:
                skip -= len(chunk)
            else:
                self._buffer, self._offset, skip = chunk, skip, 0
        self._position = target - skip
        return self._position

    def finish(self) -> None:
        """Read to the end and check digest, size and diff_id; raises UnpackError on a mismatch."""
        if self._finished:
            return
        while not self._eof:
            self._next_chunk()
        self._buffer, self._offset = b"", 0
        self.guard.finish()
        self._finished = True
        if self._size is not None and self.compressed_size != self._size:
            raise BlobMismatch(f"{self.where}: is {self.compressed_size} bytes, but its descriptor declares "
                               f"{self._size}")
        if self._digest is not None and self.digest != self._digest:
            raise BlobMismatch(f"{self.where}: content is {self.digest}, not the digest that names it")
        if self._diff_id is not None and self.diff_id != self._diff_id:
            raise BlobMismatch(f"{self.where}: its tar content is {self.diff_id}, but the image config "
                              f"lists diff_id {self._diff_id}")

    def explain_by_digest(self) -> None:
        """After a structural error: when the blob is not the one its digest names (a tampered
        or truncated download), say that instead.  Reads only compressed bytes, size-bounded."""
        if self._digest is None or self._eof:
            return
        while self._read_source():
            pass
        if self.digest != self._digest:
            raise BlobMismatch(f"{self.where}: content is {self.digest}, not the digest that names it")

    @property
    def digest(self) -> Digest:
        return Digest("sha256", self._compressed_hash.hexdigest())

    @property
    def diff_id(self) -> Digest:
        return Digest("sha256", self._plain_hash.hexdigest())

    # -- decompression -------------------------------------------------------------------------
    def _next_chunk(self) -> bytes:
        """The next piece of tar bytes (possibly empty), checked and hashed."""
        if self._tail:
            data, self._tail = self._tail, b""
        else:
            data = self._read_source()
            if not data:
                return self._end()
        if self.gzipped is None:
            self.gzipped = data[:2] == b"\x1f\x8b"
            if self.gzipped:
                self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        if self.gzipped:
            data = self._inflate(data)
        if self._plain_hash is not None:
            self._plain_hash.update(data)
        self.guard.feed(data)
        return data

    def _read_source(self) -> bytes:
        try:
            data = self._source.read(_CHUNK)
        except OSError as error:
            raise UnpackError(f"{self.where}: cannot read: {error}") from None
        if self._compressed_hash is not None:
            self._compressed_hash.update(data)
        self.compressed_size += len(data)
        if self._size is not None and self.compressed_size > self._size:
            raise BlobMismatch(f"{self.where}: longer than the {self._size} bytes its descriptor declares")
        return data

    def _inflate(self, data: bytes) -> bytes:
        inflater = self._inflater
        if inflater.eof:  # a further gzip member, or padding after the last one
            if not data.strip(b"\0"):
                return b""
            if data[:2] != b"\x1f\x8b":
                raise UnpackError(f"{self.where}: data after the end of the gzip stream")
            inflater = self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            out = inflater.decompress(data, _CHUNK)  # bounded: a bomb never sits in memory whole
        except zlib.error as error:
            raise UnpackError(f"{self.where}: corrupt gzip data ({error})") from None
        self._tail = inflater.unconsumed_tail or (inflater.unused_data if inflater.eof else b"")
        return out

    def _end(self) -> bytes:
        if self.gzipped and not self._inflater.eof:
            raise UnpackError(f"{self.where}: the gzip stream is truncated")
        self._eof = True
        return b""


def verify_layer(source: BinaryIO, where: str, *, digest: Digest | None = None, size: int | None = None,
                 diff_id: Digest | None = None, limits: Limits | None = None,
                 sink: BinaryIO | None = None) -> LayerStream:
    """Read a whole layer through the checks without unpacking it (``sink`` gets the blob's bytes)."""
    if sink is not None:
        source = _Tee(source, sink)
    stream = LayerStream(source, where, limits, digest=digest, size=size, diff_id=diff_id, compute_digests=True)
    try:
        stream.finish()
    except BlobMismatch:
        raise
    except UnpackError:
        stream.explain_by_digest()
        raise
    return stream


class _Tee:
    def __init__(self, source: BinaryIO, sink: BinaryIO):
        self._source, self._sink = source, sink

    def read(self, size: int) -> bytes:
        data = self._source.read(size)
        self._sink.write(data)
        return data
