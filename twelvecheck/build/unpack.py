"""Safe layer extraction: a layer can only ever change files below the root it is unpacked into.

Base images and ``ADD`` archives come from anywhere, so nothing here follows a link:

- every directory is opened from its parent's descriptor with ``O_NOFOLLOW``, starting at the
  root, and every file operation is relative to its directory's descriptor (``dir_fd``), so no
  path is ever resolved through a symlink, whatever earlier entries (or earlier layers) made;
- absolute names and ``..`` are refused, and so is an entry under a directory that is a symlink
  (writing through it could land outside the root);
- a regular file is created with ``O_EXCL | O_NOFOLLOW`` and its owner, mode, xattrs and times are
  set through its own descriptor; other entries get ``lchown``-style and ``utimensat`` calls that
  do not follow links, and a mode only after ``lstat`` says the entry is not a symlink;
- a hardlink is made with ``linkat`` without ``AT_SYMLINK_FOLLOW``: a hardlink to a symlink links
  the symlink itself, and its mode is never applied (it would land on the symlink's target);
- device nodes need privilege, and only those without hardware behind them (null, zero, full,
  random, urandom, tty) are made; whiteouts (``.wh.NAME``, the opaque ``.wh..wh..opq``, see
  ``layer.md``) only remove names inside the directory they sit in;
- entry counts and sizes are checked as headers stream past (``layerstream.py``), against the
  limits and the free space of the filesystem, before any data is written; an existing symlink
  at an entry's own path is replaced, never followed.

Every failure is an ``UnpackError`` naming the layer (``where``) and the entry.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import tarfile
from typing import BinaryIO

from twelvecheck.build.digest import Digest
from twelvecheck.build.layer import OPAQUE_WHITEOUT, OVERLAY_XATTR_PREFIX, WHITEOUT_PREFIX
from twelvecheck.build.layerstream import Limits, LayerStream, UnpackError

__all__ = ["Limits", "UnpackError", "safe_relative", "unpack_layer"]

_XATTR_PREFIX = "SCHILY.xattr."
_CHUNK = 1 << 20
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_FREE_SPACE_RESERVE = 64 << 20
_MAX_NAME = 4096  # PATH_MAX: no tool in the image could use a longer path
_MAX_DEPTH = 256  # each level holds a descriptor while its entries unpack, and cleanup recurses
# Character devices with no hardware behind them (devices.txt: 1:3 null ... 5:0 tty); a layer
# with /dev/sda (8:0) or /dev/mem (1:1) would hand a RUN step the host's disk or memory.
_HARMLESS_DEVICES = frozenset({(1, 3), (1, 5), (1, 7), (1, 8), (1, 9), (5, 0)})


def unpack_layer(stream: BinaryIO, root: str, *, whiteouts: bool = True, allow_devices: bool | None = None,
                 limits: Limits | None = None, where: str = "layer", digest: Digest | None = None,
                 size: int | None = None, diff_id: Digest | None = None) -> None:
    """Apply the (optionally gzip-compressed) layer tar read from ``stream`` to the tree at ``root``.

    ``where`` names the layer in errors; ``digest``, ``size`` and ``diff_id`` are checked when given.
    """
    if allow_devices is None:
        allow_devices = os.geteuid() == 0
    layer = LayerStream(stream, where, limits, digest=digest, size=size, diff_id=diff_id,
                        budget=_free_space(root))
    with _Extraction(root, layer, whiteouts, allow_devices) as extraction:
        try:
            tar = tarfile.open(fileobj=layer, mode="r|")
            while (member := tar.next()) is not None:
                tar.members.clear()  # a stream can hold millions of entries: keep none
                extraction.apply(tar, member)
        except UnpackError:
            raise
        except (tarfile.TarError, EOFError) as error:
            raise UnpackError(f"{where}: not a valid tar after entry {layer.guard.name!r}: {error}") from None
        layer.finish()
        extraction.set_directory_times()


def safe_relative(name: str) -> str:
    """``name`` as a clean relative path, or UnpackError if it is absolute or climbs with ``..``."""
    if name.startswith("/"):
        raise UnpackError(f"absolute path in layer: {name!r}")
    if len(name) > _MAX_NAME:
        raise UnpackError(f"name longer than {_MAX_NAME} characters: {name[:80]!r}...")
    parts = [part for part in name.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise UnpackError(f"path climbs out of the root with '..': {name!r}")
    if len(parts) > _MAX_DEPTH:
        raise UnpackError(f"path more than {_MAX_DEPTH} directories deep: {name[:80]!r}...")
    if "\0" in name:
        raise UnpackError(f"NUL byte in name: {name!r}")
    return "/".join(parts)


def _free_space(root: str) -> int | None:
    try:
        info = os.statvfs(root)
    except OSError:
        return None
    return max(0, info.f_bavail * info.f_frsize - _FREE_SPACE_RESERVE)


class _Directories:
    """Open descriptors for the chain of directories the last entry sat in (tars are sorted
    parents first, so the chain is mostly reused); each is opened from its parent, no links."""

    def __init__(self, root: str):
        self.root_fd = os.open(root, _DIR_FLAGS)
        self.chain: list[tuple[str, int]] = []  # (name, fd) from the root down

    def close(self) -> None:
        self.drop(0)
        os.close(self.root_fd)

    def drop(self, depth: int) -> None:
        while len(self.chain) > depth:
            os.close(self.chain.pop()[1])

    def forget(self, rel: str) -> None:
        """``rel`` was removed or replaced: no descriptor of it (or below) may be used again."""
        parts = rel.split("/")
        if [name for name, _ in self.chain[:len(parts)]] == parts:
            self.drop(len(parts) - 1)

    def open(self, rel: str, create: bool = True) -> int | None:
        """The descriptor of directory ``rel`` ("" is the root), creating missing ones (mode 0755)."""
        parts = rel.split("/") if rel else []
        depth = 0
        while depth < min(len(parts), len(self.chain)) and self.chain[depth][0] == parts[depth]:
            depth += 1
        if depth == len(parts):  # an ancestor of (or) the last directory: keep the chain
            return self.chain[depth - 1][1] if depth else self.root_fd
        self.drop(depth)
        for index in range(depth, len(parts)):
            parent = self.chain[-1][1] if self.chain else self.root_fd
            name = parts[index]
            try:
                fd = os.open(name, _DIR_FLAGS, dir_fd=parent)
            except FileNotFoundError:
                if not create:
                    return None
                os.mkdir(name, 0o755, dir_fd=parent)
                fd = os.open(name, _DIR_FLAGS, dir_fd=parent)
            except OSError as error:
                if error.errno not in (errno.ELOOP, errno.ENOTDIR):
                    raise
                if not create:
                    return None
                where = "/".join(parts[:index + 1])
                if stat.S_ISLNK(os.lstat(name, dir_fd=parent).st_mode):
                    raise UnpackError(f"parent /{where} is a symlink; writing through it could leave the root") from None
                raise UnpackError(f"parent /{where} is not a directory") from None
            self.chain.append((name, fd))
        return self.chain[-1][1] if self.chain else self.root_fd


class _Extraction:
    def __init__(self, root: str, layer: LayerStream, whiteouts: bool, allow_devices: bool):
        self.layer = layer
        self.whiteouts = whiteouts
        self.allow_devices = allow_devices
        self.privileged = os.geteuid() == 0
        self.dirs = _Directories(root)
        self.written: set[str] = set()
        self.dir_times: list[tuple[str, int]] = []

    def __enter__(self) -> _Extraction:
        return self

    def __exit__(self, *exc) -> None:
        self.dirs.close()

    def apply(self, tar: tarfile.TarFile, member: tarfile.TarInfo) -> None:
        try:
            self._apply(tar, member)
        except UnpackError as error:
            raise UnpackError(f"{self.layer.where}: entry {member.name!r}: {error}") from None
        except OSError as error:
            raise UnpackError(f"{self.layer.where}: entry {member.name!r}: "
                              f"{error.strerror or error}") from None

    def _apply(self, tar: tarfile.TarFile, member: tarfile.TarInfo) -> None:
        rel = safe_relative(member.name)
        if not rel:
            return  # the root itself: its metadata belongs to whoever made the rootfs
        parent, _, name = rel.rpartition("/")
        if self.whiteouts and name.startswith(WHITEOUT_PREFIX):
            self._whiteout(parent, name)
            return
        if member.isdir():
            self._make_dir(parent, name, member)
        else:
            parent_fd = self.dirs.open(parent)
            self._remove(parent_fd, parent, name)
            self._create(tar, member, parent_fd, name)
        self.written.add(rel)

    # -- removal -------------------------------------------------------------------------------
    def _whiteout(self, parent: str, name: str) -> None:
        parent_fd = self.dirs.open(parent)
        if name == OPAQUE_WHITEOUT:
            for child in os.listdir(parent_fd):
                if (f"{parent}/{child}" if parent else child) not in self.written:
                    self._remove(parent_fd, parent, child)
            return
        hidden = name[len(WHITEOUT_PREFIX):]
        if hidden in ("", ".", "..") or "/" in hidden:
            raise UnpackError(f"bad whiteout name {name!r}")
        self._remove(parent_fd, parent, hidden)

    def _remove(self, parent_fd: int, parent: str, name: str) -> None:
        try:
            mode = os.lstat(name, dir_fd=parent_fd).st_mode
        except FileNotFoundError:
            return
        if stat.S_ISDIR(mode):
            rel = f"{parent}/{name}" if parent else name
            self.dirs.forget(rel)
            shutil.rmtree(name, dir_fd=parent_fd)  # the fd-based walk: never leaves the directory
        else:
            os.unlink(name, dir_fd=parent_fd)

    # -- creation ------------------------------------------------------------------------------
    def _make_dir(self, parent: str, name: str, member: tarfile.TarInfo) -> None:
        parent_fd = self.dirs.open(parent)
        try:
            mode = os.lstat(name, dir_fd=parent_fd).st_mode
        except FileNotFoundError:
            mode = 0
        if not stat.S_ISDIR(mode):
            self._remove(parent_fd, parent, name)
            os.mkdir(name, 0o755, dir_fd=parent_fd)
        rel = f"{parent}/{name}" if parent else name
        fd = self.dirs.open(rel)
        self._owner_and_mode(fd, member)
        self._xattrs(fd, member)
        self.dir_times.append((rel, int(member.mtime)))

    def _create(self, tar: tarfile.TarFile, member: tarfile.TarInfo, parent_fd: int, name: str) -> None:
        if member.isreg():
            fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600,
                         dir_fd=parent_fd)
            try:
                source = tar.extractfile(member)
                while chunk := source.read(_CHUNK):
                    _write_all(fd, chunk)
                self._owner_and_mode(fd, member)
                self._xattrs(fd, member)
                os.utime(fd, (member.mtime, member.mtime))
            finally:
                os.close(fd)
            return
        if member.issym():
            os.symlink(member.linkname, name, dir_fd=parent_fd)
        elif member.islnk():
            self._hardlink(member, parent_fd, name)
        elif member.isfifo():
            os.mkfifo(name, 0o600, dir_fd=parent_fd)
        elif member.ischr() or member.isblk():
            if not self.allow_devices:
                raise UnpackError("device node needs privilege to create; refusing")
            if member.isblk() or (member.devmajor, member.devminor) not in _HARMLESS_DEVICES:
                raise UnpackError(f"device node {member.devmajor}:{member.devminor} could reach the host's "
                                  "hardware; only null, zero, full, random, urandom and tty are created")
            kind = stat.S_IFCHR
            os.mknod(name, kind | 0o600, os.makedev(member.devmajor, member.devminor), dir_fd=parent_fd)
        else:
            raise UnpackError(f"unsupported tar entry type {member.type!r}")
        self._metadata_by_name(parent_fd, name, member)

    def _hardlink(self, member: tarfile.TarInfo, parent_fd: int, name: str) -> None:
        """Link the entry ``member.linkname`` names, which must already be inside the root; the
        link is to that entry itself, a symlink included (``linkat`` without following)."""
        target = safe_relative(member.linkname)
        target_parent, _, target_name = target.rpartition("/")
        if not target_name:
            raise UnpackError("hardlink to the root directory")
        target_fd = self._open_existing_dir(target_parent)
        try:
            mode = os.lstat(target_name, dir_fd=target_fd).st_mode
            if stat.S_ISDIR(mode):
                raise UnpackError(f"hardlink to directory {member.linkname!r}")
            os.link(target_name, name, src_dir_fd=target_fd, dst_dir_fd=parent_fd, follow_symlinks=False)
        except FileNotFoundError:
            raise UnpackError(f"hardlink to missing {member.linkname!r}") from None
        finally:
            os.close(target_fd)

    def _open_existing_dir(self, rel: str) -> int:
        """A fresh descriptor of existing directory ``rel``, opened without following links."""
        fd = os.dup(self.dirs.root_fd)
        for name in rel.split("/") if rel else []:
            try:
                next_fd = os.open(name, _DIR_FLAGS, dir_fd=fd)
            except OSError as error:
                os.close(fd)
                if error.errno in (errno.ELOOP, errno.ENOTDIR, errno.ENOENT):
                    raise UnpackError(f"hardlink points through non-directory /{rel} "
                                      "(a symlink, a file or missing)") from None
                raise
            os.close(fd)
            fd = next_fd
        return fd

    # -- metadata ------------------------------------------------------------------------------
    def _owner_and_mode(self, fd: int, member: tarfile.TarInfo) -> None:
        if self.privileged:
            os.fchown(fd, member.uid, member.gid)
        os.fchmod(fd, member.mode)  # after chown, which clears setuid/setgid bits

    def _metadata_by_name(self, parent_fd: int, name: str, member: tarfile.TarInfo) -> None:
        """Owner, mode and times of a non-regular entry, never through a symlink."""
        if self.privileged:
            os.chown(name, member.uid, member.gid, dir_fd=parent_fd, follow_symlinks=False)
        is_link = stat.S_ISLNK(os.lstat(name, dir_fd=parent_fd).st_mode)
        if not is_link:
            # Not a symlink (just checked, and nothing else writes here while a layer unpacks):
            # fchmodat cannot follow anything.  A hardlink to a symlink keeps the link's mode.
            os.chmod(name, member.mode, dir_fd=parent_fd)
            self._xattrs(f"/proc/self/fd/{parent_fd}/{name}", member)
        os.utime(name, (member.mtime, member.mtime), dir_fd=parent_fd, follow_symlinks=False)

    def _xattrs(self, target: int | str, member: tarfile.TarInfo) -> None:
        for key, value in member.pax_headers.items():
            if not key.startswith(_XATTR_PREFIX):
                continue
            name = key[len(_XATTR_PREFIX):]
            if name.startswith(OVERLAY_XATTR_PREFIX):
                continue  # overlayfs's own xattrs would steer our overlay mounts
            try:
                os.setxattr(target, name, value.encode("utf-8", "surrogateescape"),
                            **({} if isinstance(target, int) else {"follow_symlinks": False}))
            except OSError:  # e.g. trusted.* without CAP_SYS_ADMIN, or a filesystem without xattrs
                pass

    def set_directory_times(self) -> None:
        """Children changed their directories' mtimes while unpacking: set them last, deepest first."""
        for rel, mtime in reversed(self.dir_times):
            parent, _, name = rel.rpartition("/")
            parent_fd = self.dirs.open(parent, create=False)
            if parent_fd is None:
                continue
            try:
                os.utime(name, (mtime, mtime), dir_fd=parent_fd, follow_symlinks=False)
            except FileNotFoundError:
                continue  # removed by a later whiteout of the same layer


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
