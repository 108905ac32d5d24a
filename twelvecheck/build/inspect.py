"""The image view: one streaming pass over the layers of an image, for verify and the IM rules.

Nothing else in twelvecheck opens a layer tarball to judge an image. ``view(source)`` reads each
layer once, in order, and keeps:

* per layer (``LayerInfo``): its number (1-based, in manifest order), ``diff_id``, the history
  entry that made it, the Dockerfile line of that instruction when known, whether it is the base
  image's, how many bytes of file content it holds;
* per path (``PathEvent`` list, oldest first): added, modified or deleted, in which layer, with
  type, bytes, mode, uid/gid and link target; a path hidden by a whiteout of a parent directory or
  an opaque marker gets its own ``deleted`` event in that layer;
* the image config and its history.

File contents are not kept, so memory grows with the number of paths, never with their bytes.
The only exception is a short sample (``SAMPLE_BYTES``) of the few files a check must read:
account files (/etc/passwd, /etc/group, /etc/shadow, /etc/gshadow), files whose name says
credentials (.env, .npmrc, .pypirc, .git-credentials, .aws/credentials, .netrc, Docker's
config.json, SSH keys), and any file whose first bytes hold a private-key marker.

The stream is treated as hostile: every entry name must stay below the root (no absolute name,
no ``..``), a hardlink must name a path below the root, the uncompressed stream must hash to the
layer's ``diff_id``, and entry count and content bytes are capped (``Limits``). Nothing is
written to disk. A refused image raises ``ImageError`` naming the layer and the entry.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import posixpath
import re
import tarfile
import tempfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, BinaryIO

from twelvecheck.build.layer import OPAQUE_WHITEOUT, WHITEOUT_PREFIX

if TYPE_CHECKING:
    from twelvecheck.build.builder import BuiltImage
    from twelvecheck.build.oci import ImageConfig

SAMPLE_BYTES = 64 << 10  # the most of a file's content a sample keeps
_PROBE = 1024  # bytes read from the start of every small file, looking for key markers
_PROBE_LIMIT = 1 << 20  # files larger than this are not probed
_CHUNK = 1 << 20
KEY_MARKER = re.compile(rb"-----BEGIN ([A-Z0-9 ]*PRIVATE KEY|OPENSSH PRIVATE KEY)-----")
ACCOUNT_FILES = frozenset({"/etc/passwd", "/etc/group", "/etc/shadow", "/etc/gshadow"})
CREDENTIAL_NAME = re.compile(
    r"(^|/)(\.env(\.[\w.-]+)?|\.npmrc|\.pypirc|\.git-credentials|\.netrc|\.dockercfg|"
    r"\.aws/credentials|\.docker/config\.json|id_(rsa|dsa|ecdsa|ed25519)|[^/]+\.(pem|key))$")
TYPES = {tarfile.REGTYPE: "file", tarfile.AREGTYPE: "file", tarfile.CONTTYPE: "file", tarfile.DIRTYPE: "dir",
         tarfile.SYMTYPE: "symlink", tarfile.LNKTYPE: "hardlink", tarfile.CHRTYPE: "char",
         tarfile.BLKTYPE: "block", tarfile.FIFOTYPE: "fifo"}


class ImageError(ValueError):
    """An image that cannot be read safely: the message names the layer and the entry."""


@dataclass(frozen=True)
class Limits:
    max_entries: int = 2_000_000
    max_bytes: int = 256 << 30  # of file content, over the whole image


@dataclass(frozen=True, slots=True)
class PathEvent:
    """What one layer did to one path. ``kind``: added, modified or deleted."""

    layer: int
    kind: str
    type: str = ""  # file, dir, symlink, hardlink, char, block, fifo; '' for a deletion
    size: int = 0
    mode: int = 0
    uid: int = 0
    gid: int = 0
    link: str | None = None
    sample: bytes | None = None
    whiteout: bool = False  # deleted by its own whiteout entry (not by a parent's)


@dataclass
class LayerInfo:
    number: int  # 1-based, in manifest order
    diff_id: str
    created_by: str
    line: int | None  # the Dockerfile line of the instruction that made it, when known
    base: bool
    size: int = 0  # bytes of file content in the layer (dive's layer size)
    entries: int = 0


@dataclass(frozen=True, slots=True)
class Step:
    """One history entry: an instruction, with or without a layer."""

    created_by: str
    empty: bool
    layer: int | None  # the layer number it made
    line: int | None
    base: bool


@dataclass
class ImageView:
    config: ImageConfig
    layers: list[LayerInfo]
    steps: list[Step]
    paths: dict[str, list[PathEvent]] = field(default_factory=dict)
    build_platform: Any = None  # the platform the build ran for (builder results only)
    notes: list[str] = field(default_factory=list)  # what could not be matched, said not guessed
    dockerfile: Any = None  # the linted Dockerfile context, set by verify for the rules

    # -- layers and steps ------------------------------------------------------------------------
    def layer(self, number: int) -> LayerInfo:
        return self.layers[number - 1]

    def layers_at(self, line: int) -> list[LayerInfo]:
        """The layers the instruction starting at ``line`` made (usually one, none for config steps)."""
        return [layer for layer in self.layers if layer.line == line]

    def step_at(self, line: int) -> Step | None:
        return next((step for step in self.steps if step.line == line), None)

    def line_of(self, number: int) -> int | None:
        return self.layers[number - 1].line if 0 < number <= len(self.layers) else None

    # -- paths -----------------------------------------------------------------------------------
    def events(self, path: str) -> list[PathEvent]:
        return self.paths.get(path, [])

    def final(self, path: str) -> PathEvent | None:
        """The path as the running container sees it (None when absent or deleted)."""
        events = self.paths.get(path)
        if not events or events[-1].kind == "deleted":
            return None
        return events[-1]

    def exists(self, path: str) -> bool:
        return self.final(path) is not None

    def under(self, prefix: str) -> Iterator[tuple[str, list[PathEvent]]]:
        """Every path at or below ``prefix`` (a directory), with its events."""
        prefix = prefix.rstrip("/") or "/"
        below = prefix if prefix == "/" else prefix + "/"
        for path, events in self.paths.items():
            if path == prefix or path.startswith(below):
                yield path, events

    def text(self, path: str) -> str | None:
        """The sampled content of a file as the container sees it (see the module doc)."""
        event = self.final(path)
        if event is None or event.sample is None:
            return None
        return event.sample.decode("utf-8", "replace")

    def config_value(self, name: str) -> Any:
        return getattr(self.config.config, name)


# -- opening images -----------------------------------------------------------------------------

def view(source: BuiltImage | str, *, limits: Limits = Limits(), cache_dir: str | None = None,
         progress: Callable[[str], None] | None = None) -> ImageView:
    """The view of a builder result, or of ``oci:DIR[:TAG]`` / ``docker-archive:FILE``."""
    if isinstance(source, str):
        return _view_reference(source, limits, cache_dir, progress)
    records = source.records
    layers = [LayerInfo(number, str(layer.diff_id), record.created_by, record.line, record.line is None)
              for number, (layer, record) in enumerate(zip(source.layers, records), start=1)]
    result = ImageView(source.config, layers, _steps(source.config, layers))
    from twelvecheck.build.builder import build_platform

    result.build_platform = build_platform()
    _scan(result, [(layer.diff_id, _opener(source.blob_path(layer.descriptor.digest))) for layer in source.layers],
          limits, progress, check_digests=False, index_dir=_index_dir(source.blob_dir))
    return result


def _index_dir(blob_dir: str) -> str:
    """Beside the blob store (CACHE/blobs/sha256): CACHE/layer-index."""
    return os.path.join(os.path.dirname(os.path.dirname(blob_dir)), "layer-index")


def _opener(path: str) -> Callable[[], BinaryIO]:
    return lambda: open(path, "rb")


def _view_reference(reference: str, limits: Limits, cache_dir: str | None,
                    progress: Callable[[str], None] | None) -> ImageView:
    """An image built elsewhere: its blobs are checked against their digests on the way into the
    blob store (bases.py), then scanned like our own. Lines are matched later (``match_steps``)."""
    from twelvecheck.build.bases import BaseImageError, load_base
    from twelvecheck.build.builder import build_platform
    from twelvecheck.build.cache import BuildCache
    from twelvecheck.build.digest import DigestMismatch
    from twelvecheck.files import user_cache_dir

    if not reference.startswith(("oci:", "docker-archive:")):
        raise ImageError(f"unsupported image {reference!r}: use oci:DIR[:TAG] or docker-archive:FILE")
    store = BuildCache(cache_dir or user_cache_dir("build")).blobs
    try:
        image = load_base(reference, store, build_platform())
    except (BaseImageError, DigestMismatch, OSError, KeyError, ValueError, tarfile.TarError) as error:
        raise ImageError(f"{reference}: {error}") from None
    created = [entry.created_by for entry in image.config.history if not entry.empty_layer]
    if len(created) != len(image.layers):
        created = [""] * len(image.layers)
    layers = [LayerInfo(number, str(layer.diff_id), text, None, False)
              for number, (layer, text) in enumerate(zip(image.layers, created), start=1)]
    result = ImageView(image.config, layers, _steps(image.config, layers))
    _scan(result, [(layer.diff_id, _opener(store.path(layer.descriptor.digest))) for layer in image.layers],
          limits, progress, index_dir=_index_dir(store.directory))
    return result


def _steps(config: ImageConfig, layers: list[LayerInfo]) -> list[Step]:
    """History entries in order, each tied to the layer it made (when the counts agree)."""
    history = config.history
    layered = [entry for entry in history if not entry.empty_layer]
    tie = len(layered) == len(layers)
    steps, number = [], 0
    for entry in history:
        if entry.empty_layer or not tie:
            steps.append(Step(entry.created_by, entry.empty_layer, None, None, False))
            continue
        number += 1
        layer = layers[number - 1]
        steps.append(Step(entry.created_by, False, number, layer.line, layer.base))
    return steps


# -- the streaming pass -------------------------------------------------------------------------

class _LayerStream:
    """The uncompressed bytes of a layer blob (gzip'd or plain), read in large chunks straight
    from zlib (no second CRC pass, no small reads), optionally hashed for the diff_id check.
    Each call inflates at most ``_CHUNK`` bytes, so a small blob that inflates to gigabytes
    never sits in memory at once."""

    def __init__(self, blob: BinaryIO, hashed: bool):
        self._blob = blob
        self._gzip = blob.read(2) == b"\x1f\x8b"
        blob.seek(0)
        self._inflate = zlib.decompressobj(31) if self._gzip else None
        self._pending = b""  # compressed input not inflated yet
        self._chunk = b""
        self._offset = 0
        self.hash = hashlib.sha256() if hashed else None
        self._eof = False
        self._start = 0  # stream position of ``_chunk``'s first byte

    def _next_chunk(self) -> bytes:
        if not self._gzip:
            data = self._blob.read(_CHUNK)
        else:
            data = b""
            while not data:
                if not self._pending:
                    self._pending = self._blob.read(_CHUNK)
                    if not self._pending:
                        if not self._inflate.eof and self._inflate.unconsumed_tail == b"":
                            data = self._inflate.flush()
                        break
                data = self._inflate.decompress(self._pending, _CHUNK)
                self._pending = self._inflate.unconsumed_tail
                if self._inflate.eof:  # concatenated gzip members are one stream
                    rest = self._inflate.unused_data + self._pending
                    self._inflate = zlib.decompressobj(31)
                    self._pending = rest if rest.strip(b"\0") else b""
        if self.hash is not None and data:
            self.hash.update(data)
        return data

    def _advance(self, size: int, keep: bool) -> list[bytes]:
        """Move ``size`` bytes forward, returning them when ``keep`` (skipped data is never copied)."""
        parts = []
        while size > 0:
            if self._offset >= len(self._chunk):
                if self._eof:
                    break
                self._start += len(self._chunk)
                self._chunk, self._offset = self._next_chunk(), 0
                if not self._chunk:
                    self._eof = True
                    break
            step = min(size, len(self._chunk) - self._offset)
            if keep:
                parts.append(self._chunk[self._offset:self._offset + step])
            self._offset += step
            size -= step
        return parts

    def read(self, size: int = -1) -> bytes:
        return b"".join(self._advance(size if size >= 0 else 1 << 62, keep=True))

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._start + self._offset

    def seek(self, position: int, whence: int = 0) -> int:
        """Forward only: tarfile skips a member's data by seeking past it."""
        target = position if whence == 0 else self.tell() + position
        if target < self.tell():
            raise OSError("a layer stream only reads forward")
        self._advance(target - self.tell(), keep=False)
        return self.tell()

    def drain(self) -> None:
        self._advance(1 << 62, keep=False)


@dataclass
class _Scan:
    image: ImageView
    limits: Limits
    entries: int = 0
    bytes: int = 0
    present: dict[str, set[str]] = field(default_factory=dict)  # directory -> names present now


def _scan(image: ImageView, layers, limits: Limits, progress: Callable[[str], None] | None,
          check_digests: bool = True, index_dir: str | None = None) -> None:
    """``check_digests``: hash each layer against its diff_id (images from elsewhere; our own
    builder computed the diff_ids of the blobs it just stored). ``index_dir``: where each layer's
    entries are kept once read (keyed by diff_id, so by content), so verifying a cached build
    does not inflate its layers again."""
    state = _Scan(image, limits)
    for info, (diff_id, open_blob) in zip(image.layers, layers):
        if progress is not None:
            where = f"line {info.line}" if info.line else ("base" if info.base else "")
            progress(f"scanning layer {info.number}/{len(image.layers)} {where} ({state.bytes} bytes so far)")
        entries = _load_index(index_dir, diff_id)
        if entries is None:
            entries = _read_layer(info, diff_id, open_blob, check_digests)
            _store_index(index_dir, diff_id, entries)
        _apply(state, info, entries)


# An entry: (kind, path, type, size, mode, uid, gid, link, sample); kind is entry, whiteout or opaque.
Entry = tuple


def _read_layer(info: LayerInfo, diff_id, open_blob, check_digests: bool) -> list[Entry]:
    with open_blob() as blob:
        stream = _LayerStream(blob, hashed=check_digests)
        try:
            entries = _entries(info, stream)
            stream.drain()
        except (tarfile.TarError, EOFError, OSError, zlib.error) as error:
            raise ImageError(f"layer {info.number} ({diff_id}): not a readable tar: {error}") from None
    if stream.hash is not None and f"sha256:{stream.hash.hexdigest()}" != str(diff_id):
        raise ImageError(f"layer {info.number}: content does not match its diff_id {diff_id}")
    return entries


def _entries(info: LayerInfo, stream) -> list[Entry]:
    entries: list[Entry] = []
    # Random-access mode over a forward-only stream: tarfile skips file data by seeking, which
    # the stream does without copying. Members are dropped as they are read (tarfile would
    # otherwise keep every header of the layer).
    with tarfile.open(fileobj=stream, mode="r:") as tar:
        for member in iter(tar.next, None):
            tar.members.clear()
            path = _entry_path(info, member.name)
            if path == "/":
                continue
            parent, name = posixpath.split(path)
            if name == OPAQUE_WHITEOUT:
                entries.append(("opaque", parent, "", 0, 0, 0, 0, None, None))
                continue
            if name.startswith(WHITEOUT_PREFIX):
                hidden = name[len(WHITEOUT_PREFIX):]
                if hidden in ("", ".", ".."):
                    raise ImageError(f"layer {info.number}: bad whiteout {member.name!r}")
                entries.append(("whiteout", posixpath.join(parent, hidden), "", 0, 0, 0, 0, None, None))
                continue
            kind = TYPES.get(member.type)
            if kind is None:
                raise ImageError(f"layer {info.number}: unsupported entry type {member.type!r} for {member.name!r}")
            link = member.linkname if kind == "symlink" else _entry_path(info, member.linkname) if kind == "hardlink" else None
            sample = _sample(tar, member, path) if kind == "file" else None
            entries.append(("entry", path, kind, member.size if kind == "file" else 0, member.mode, member.uid,
                            member.gid, link, sample))
    return entries


def _index_path(index_dir: str, diff_id) -> str:
    return os.path.join(index_dir, str(diff_id).replace(":", "-"))


def _load_index(index_dir: str | None, diff_id) -> list[Entry] | None:
    if index_dir is None:
        return None
    try:
        with open(_index_path(index_dir, diff_id), "rb") as handle:
            version, entries = marshal.load(handle)
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return entries if version == _INDEX_VERSION else None


def _store_index(index_dir: str | None, diff_id, entries: list[Entry]) -> None:
    """Written beside the target and renamed: a reader never sees half an index."""
    if index_dir is None:
        return
    try:
        os.makedirs(index_dir, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=index_dir, prefix=".index-")
        with os.fdopen(handle, "wb") as out:
            marshal.dump((_INDEX_VERSION, entries), out)
        os.replace(temporary, _index_path(index_dir, diff_id))
    except OSError:  # an index is only a shortcut
        pass


_INDEX_VERSION = 1


def _apply(state: _Scan, info: LayerInfo, entries: list[Entry]) -> None:
    written: set[str] = set()
    for kind, path, type_, size, mode, uid, gid, link, sample in entries:
        state.entries += 1
        info.entries += 1
        if state.entries > state.limits.max_entries:
            raise ImageError(f"layer {info.number}: more than {state.limits.max_entries} entries (limit)")
        if kind == "opaque":
            _opaque(state, info, path, written)
        elif kind == "whiteout":
            _delete(state, info, path, explicit=True)
        else:
            _record(state, info, path, type_, size, mode, uid, gid, link, sample)
            written.add(path)


def _entry_path(info: LayerInfo, name: str) -> str:
    if name.startswith("/"):
        raise ImageError(f"layer {info.number}: absolute path {name!r}")
    parts = [part for part in name.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise ImageError(f"layer {info.number}: path {name!r} climbs out of the root with '..'")
    return "/" + "/".join(parts)


def _record(state: _Scan, info: LayerInfo, path: str, kind: str, size: int, mode: int, uid: int, gid: int,
            link: str | None, sample: bytes | None) -> None:
    state.bytes += size
    if state.bytes > state.limits.max_bytes:
        raise ImageError(f"layer {info.number}: more than {state.limits.max_bytes} bytes of content (limit), at {path!r}")
    info.size += size
    events = state.image.paths.setdefault(path, [])
    existed = bool(events) and events[-1].kind != "deleted"
    if existed and events[-1].type == "dir" and kind != "dir":
        _delete_children(state, info, path)
    events.append(PathEvent(info.number, "modified" if existed else "added", kind, size, mode, uid, gid, link, sample))
    _mark_present(state, path)


def _sample(tar: tarfile.TarFile, member: tarfile.TarInfo, path: str) -> bytes | None:
    if member.size > _PROBE_LIMIT and path not in ACCOUNT_FILES:
        return None
    handle = tar.extractfile(member)
    if handle is None:
        return None
    wanted = path in ACCOUNT_FILES or CREDENTIAL_NAME.search(path) is not None
    head = handle.read(SAMPLE_BYTES if wanted else _PROBE)
    if wanted or KEY_MARKER.search(head):
        return head if wanted else head + handle.read(SAMPLE_BYTES - len(head))
    return None


def _mark_present(state: _Scan, path: str) -> None:
    while path != "/":
        parent, name = posixpath.split(path)
        names = state.present.setdefault(parent, set())
        if name in names:
            return
        names.add(name)
        path = parent


def _delete(state: _Scan, info: LayerInfo, path: str, *, explicit: bool) -> None:
    events = state.image.paths.get(path)
    if events and events[-1].kind != "deleted":
        _delete_children(state, info, path)
        events.append(PathEvent(info.number, "deleted", whiteout=explicit))
    elif explicit:  # a whiteout for something no lower layer has: still worth recording
        state.image.paths.setdefault(path, []).append(PathEvent(info.number, "deleted", whiteout=True))
    parent, name = posixpath.split(path)
    state.present.get(parent, set()).discard(name)


def _delete_children(state: _Scan, info: LayerInfo, directory: str) -> None:
    for name in sorted(state.present.pop(directory, ())):
        _delete(state, info, posixpath.join(directory, name), explicit=False)


def _opaque(state: _Scan, info: LayerInfo, directory: str, written: set[str]) -> None:
    """Hide what lower layers put in ``directory``; what this layer wrote there stays."""
    for name in sorted(state.present.get(directory, ())):
        child = posixpath.join(directory, name)
        if child not in written:
            _delete(state, info, child, explicit=False)



# -- tying history to Dockerfile lines ----------------------------------------------------------

@dataclass(frozen=True)
class Expected:
    """A Dockerfile instruction that leaves a history entry: keyword, first line, argument text."""

    keyword: str
    line: int
    text: str


_OPTIONAL = frozenset({"ARG"})  # BuildKit records ARG in the history; our builder does not
_TEXT_CHECKED = frozenset({"RUN", "COPY", "ADD"})


def match_steps(image: ImageView, expected: list[Expected]) -> None:
    """Give each history entry its Dockerfile line, walking both lists back from the end (the
    base's entries come first and are unknown to the Dockerfile). Keywords must agree, and for
    RUN/COPY/ADD the instruction's text must appear in the entry; at the first disagreement the
    walk stops and says which lines stay unmatched rather than guessing. Entries before the
    matched ones are the base image's."""
    from twelvecheck.rules._verify import history_keyword

    steps = image.steps
    index, position = len(steps) - 1, len(expected) - 1
    matched: dict[int, int] = {}  # step index -> line
    while position >= 0 and index >= 0:
        want, step = expected[position], steps[index]
        keyword = history_keyword(step.created_by)
        if keyword == want.keyword and _same_text(want, step.created_by):
            matched[index] = want.line
            index, position = index - 1, position - 1
        elif want.keyword in _OPTIONAL:
            position -= 1
        elif keyword in _OPTIONAL:
            index -= 1
        else:
            break
    unmatched = [item for item in expected[:position + 1] if item.keyword not in _OPTIONAL]
    if unmatched:
        lines = ", ".join(f"{item.line} ({item.keyword})" for item in unmatched)
        where = f"history entry {index + 1} ({steps[index].created_by[:60]!r})" if index >= 0 else "the start of the history"
        image.notes.append(f"the image's history does not match line(s) {lines} of the Dockerfile "
                           f"(stopped at {where}); findings there are not checkable")
    first = min(matched, default=len(steps))
    for number, step in enumerate(steps):
        line = matched.get(number)
        base = number < first and not unmatched
        steps[number] = Step(step.created_by, step.empty, step.layer, line, base)
        if step.layer is not None:
            layer = image.layers[step.layer - 1]
            layer.line, layer.base = line, base


def _same_text(want: Expected, created_by: str) -> bool:
    if want.keyword not in _TEXT_CHECKED:
        return True
    text = " ".join(created_by.replace(" # buildkit", "").split())
    return " ".join(want.text.split()) in text
