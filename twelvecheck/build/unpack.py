"""Safe layer extraction: a layer can only ever change files below the root it is unpacked into.

Base images come from anywhere, so every tar entry is checked before it touches the disk:
absolute names and ``..`` are refused, a parent directory that is a symlink is refused (writing
through it could land outside the root), hardlinks must point at a file already inside the root,
device nodes need privilege, and entry-count and byte limits stop tar bombs.  An existing symlink
at an entry's own path is replaced, never followed.  OCI whiteouts (``.wh.NAME`` and the opaque
``.wh..wh..opq``) are applied as ``layer.md`` describes: they hide what lower layers put there.
"""

from __future__ import annotations

import os
import shutil
import stat
import tarfile
from dataclasses import dataclass, field
from typing import BinaryIO

from twelvecheck.build.layer import OPAQUE_WHITEOUT, WHITEOUT_PREFIX

_XATTR_PREFIX = "SCHILY.xattr."
_CHUNK = 1 << 20


class UnpackError(Exception):
    """A layer entry that is unsafe or over a limit; the message names the entry."""


@dataclass(frozen=True)
class Limits:
    max_entries: int = 2_000_000
    max_bytes: int = 256 << 30


@dataclass
class _Extraction:
    root: str
    whiteouts: bool
    allow_devices: bool
    limits: Limits
    entries: int = 0
    bytes_written: int = 0
    written: set[str] = field(default_factory=set)
    checked_dirs: set[str] = field(default_factory=set)
    dir_times: list[tuple[str, int]] = field(default_factory=list)


def unpack_layer(stream: BinaryIO, root: str, *, whiteouts: bool = True,
                 allow_devices: bool | None = None, limits: Limits = Limits()) -> None:
    """Apply the (optionally compressed) layer tar read from ``stream`` to the tree at ``root``."""
    if allow_devices is None:
        allow_devices = os.geteuid() == 0
    state = _Extraction(os.path.abspath(root), whiteouts, allow_devices, limits)
    with tarfile.open(fileobj=stream, mode="r|*") as tar:
        for member in tar:
            _count(state, member)
            _apply(state, tar, member)
    for path, mtime in reversed(state.dir_times):  # children changed them while unpacking
        if os.path.isdir(path) and not os.path.islink(path):
            os.utime(path, (mtime, mtime), follow_symlinks=False)


def safe_relative(name: str) -> str:
    """``name`` as a clean relative path, or UnpackError if it is absolute or climbs with ``..``."""
    if name.startswith("/"):
        raise UnpackError(f"absolute path in layer: {name!r}")
    parts = [part for part in name.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise UnpackError(f"path climbs out of the root with '..': {name!r}")
    return "/".join(parts)


def _count(state: _Extraction, member: tarfile.TarInfo) -> None:
    state.entries += 1
    if state.entries > state.limits.max_entries:
        raise UnpackError(f"layer has more than {state.limits.max_entries} entries (limit)")
    if member.isreg() and state.bytes_written + member.size > state.limits.max_bytes:
        raise UnpackError(f"layer unpacks to more than {state.limits.max_bytes} bytes (limit), "
                          f"at {member.name!r}")


def _apply(state: _Extraction, tar: tarfile.TarFile, member: tarfile.TarInfo) -> None:
    rel = safe_relative(member.name)
    if not rel:
        return  # the root itself: its metadata belongs to whoever made the rootfs
    parent, _, name = rel.rpartition("/")
    _ensure_parent_dirs(state, rel)
    if state.whiteouts and name.startswith(WHITEOUT_PREFIX):
        _apply_whiteout(state, parent, name)
        return
    path = os.path.join(state.root, rel)
    if member.isdir():
        _make_dir(state, rel, path)
    else:
        _remove(state, rel, path)
        _create_non_dir(state, tar, member, path)
    state.written.add(rel)
    _set_metadata(state, member, path)


def _ensure_parent_dirs(state: _Extraction, rel: str) -> None:
    """Create missing parents; refuse a parent that is a symlink or not a directory."""
    parts = rel.split("/")[:-1]
    for depth in range(1, len(parts) + 1):
        prefix = "/".join(parts[:depth])
        if prefix in state.checked_dirs:
            continue
        path = os.path.join(state.root, prefix)
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            os.mkdir(path, 0o755)
        else:
            if stat.S_ISLNK(mode):
                raise UnpackError(f"{rel!r}: parent /{prefix} is a symlink; writing through it could "
                                  "leave the root")
            if not stat.S_ISDIR(mode):
                raise UnpackError(f"{rel!r}: parent /{prefix} is not a directory")
        state.checked_dirs.add(prefix)


def _apply_whiteout(state: _Extraction, parent: str, name: str) -> None:
    directory = os.path.join(state.root, parent)
    if name == OPAQUE_WHITEOUT:
        for child in os.listdir(directory):
            child_rel = f"{parent}/{child}" if parent else child
            if child_rel not in state.written:
                _remove(state, child_rel, os.path.join(directory, child))
        return
    hidden = name[len(WHITEOUT_PREFIX):]
    if hidden in ("", ".", ".."):
        raise UnpackError(f"bad whiteout name {name!r} in /{parent}")
    hidden_rel = f"{parent}/{hidden}" if parent else hidden
    _remove(state, hidden_rel, os.path.join(directory, hidden))


def _remove(state: _Extraction, rel: str, path: str) -> None:
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if stat.S_ISDIR(mode):
        shutil.rmtree(path)
        state.checked_dirs = {d for d in state.checked_dirs if d != rel and not d.startswith(rel + "/")}
    else:
        os.unlink(path)


def _make_dir(state: _Extraction, rel: str, path: str) -> None:
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        mode = 0
    if not stat.S_ISDIR(mode):
        _remove(state, rel, path)
        os.mkdir(path, 0o755)
    state.checked_dirs.add(rel)


def _create_non_dir(state: _Extraction, tar: tarfile.TarFile, member: tarfile.TarInfo, path: str) -> None:
    if member.isreg():
        source = tar.extractfile(member)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "wb") as target:
            while chunk := source.read(_CHUNK):
                target.write(chunk)
        state.bytes_written += member.size
    elif member.issym():
        os.symlink(member.linkname, path)
    elif member.islnk():
        os.link(_hardlink_target(state, member), path, follow_symlinks=False)
    elif member.isfifo():
        os.mkfifo(path, 0o600)
    elif member.ischr() or member.isblk():
        if not state.allow_devices:
            raise UnpackError(f"device node {member.name!r} needs privilege to create; refusing")
        kind = stat.S_IFCHR if member.ischr() else stat.S_IFBLK
        os.mknod(path, kind | 0o600, os.makedev(member.devmajor, member.devminor))
    else:
        raise UnpackError(f"unsupported tar entry type {member.type!r} for {member.name!r}")


def _hardlink_target(state: _Extraction, member: tarfile.TarInfo) -> str:
    target_rel = safe_relative(member.linkname)
    parts = target_rel.split("/")
    for depth in range(1, len(parts) + 1):
        path = os.path.join(state.root, *parts[:depth])
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            raise UnpackError(f"hardlink {member.name!r} points at missing {member.linkname!r}") from None
        if depth < len(parts) and not stat.S_ISDIR(mode):
            raise UnpackError(f"hardlink {member.name!r} points through non-directory /{'/'.join(parts[:depth])}")
    if stat.S_ISDIR(mode) or not target_rel:
        raise UnpackError(f"hardlink {member.name!r} points at a directory")
    return os.path.join(state.root, target_rel)


def _set_metadata(state: _Extraction, member: tarfile.TarInfo, path: str) -> None:
    if os.geteuid() == 0:
        os.lchown(path, member.uid, member.gid)
    if not member.issym():
        os.chmod(path, member.mode)  # after chown, which clears setuid/setgid bits
    for key, value in member.pax_headers.items():
        if key.startswith(_XATTR_PREFIX):
            _set_xattr(path, key[len(_XATTR_PREFIX):], value.encode("utf-8", "surrogateescape"))
    if member.isdir():
        state.dir_times.append((path, int(member.mtime)))
    else:
        os.utime(path, (member.mtime, member.mtime), follow_symlinks=False)


def _set_xattr(path: str, name: str, value: bytes) -> None:
    try:
        os.setxattr(path, name, value, follow_symlinks=False)
    except OSError:  # e.g. trusted.* without CAP_SYS_ADMIN, or a filesystem without xattrs
        pass
