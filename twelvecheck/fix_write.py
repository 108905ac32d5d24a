"""Writing a fixed file without losing anything the file was.

``write_fixed(path, plan, trees)`` holds an exclusive ``flock`` on the file while it reads it,
plans the fix from exactly those bytes and writes: two ``lint --fix`` runs over the same files
take turns, and the second plans from the first one's result. Before writing it reads the file
again (compare-before-write): a file some other program changed since it was read is read
again and planned again, never overwritten with a fix of its old text.

What is kept:

* owner, group and mode (a new file gets them before it replaces the old one);
* hardlinks: a file with more than one link is rewritten in place, so every name sees the fix;
* symlinks: the link stays a link and its target is fixed, when the target is inside the linted
  tree (the working directory or a directory named on the command line); a link that leaves the
  tree is refused, so a fix never writes outside what was linted;
* line ends, a byte-order mark and a missing final newline (the fix edits only its spans).

A file without any write permission bit (mode 0444) is refused with a message: even root's
``--fix`` does not rewrite what its owner marked read-only.
"""

from __future__ import annotations

import fcntl
import os
import stat
import tempfile
from collections.abc import Callable, Sequence

ATTEMPTS = 5


class FixRefused(Exception):
    """The file is not fixed; the message says why."""


def _inside(path: str, trees: Sequence[str]) -> bool:
    return any(os.path.commonpath([path, tree]) == tree for tree in trees)


def resolve_target(path: str, trees: Sequence[str]) -> str:
    """The regular file a fix writes: the path itself, or its symlink's target inside a tree."""
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode):
        target = os.path.realpath(path)
        if not _inside(target, trees):
            raise FixRefused(f"is a symbolic link to {target}, outside the linted tree; not fixed")
        path = target
        info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise FixRefused("is not a regular file; not fixed")
    if not info.st_mode & 0o222:
        raise FixRefused(f"is read-only (mode {stat.S_IMODE(info.st_mode):04o}); not fixed")
    return path


def _lock(path: str) -> int:
    """An fd of ``path`` holding its exclusive lock, on the inode the path names now (a file
    replaced while we waited for the lock is locked again under its new inode)."""
    for _ in range(100):
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            if os.fstat(fd).st_ino == os.stat(path, follow_symlinks=False).st_ino:
                return fd
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)
    raise FixRefused("keeps being replaced while it is fixed; not fixed")


def _read(fd: int, limit: int) -> str:
    os.lseek(fd, 0, os.SEEK_SET)
    chunks, size = [], 0
    while chunk := os.read(fd, 1 << 16):
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            raise FixRefused(f"is over the {limit:,}-byte limit; not fixed")
    try:
        return b"".join(chunks).decode("utf-8")
    except UnicodeDecodeError:
        raise FixRefused("is not UTF-8 text; not fixed") from None


def _current(path: str, limit: int) -> str | None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        return _read(fd, limit)
    except FixRefused:
        return None
    finally:
        os.close(fd)


def write_fixed(path: str, plan: Callable[[str], object], trees: Sequence[str],
                limit: int = 5 * 1024 * 1024):
    """Lock, read, ``plan(text)`` (an object with ``original``/``fixed``/``changed``), compare,
    write. Returns the plan written (or the unchanged plan); raises ``FixRefused``."""
    try:
        target = resolve_target(path, [os.path.realpath(t) for t in trees])
        for _ in range(ATTEMPTS):
            fd = _lock(target)
            try:
                text = _read(fd, limit)
                result = plan(text)
                if not result.changed:
                    return result
                if _current(target, limit) != text:
                    continue  # changed since it was read: read it again
                info = os.fstat(fd)
                _write(target, result.fixed, info)
                return result
            finally:
                os.close(fd)  # closing releases the lock
        raise FixRefused("keeps changing while it is fixed; not fixed")
    except OSError as error:
        raise FixRefused(f"cannot be fixed: {error.strerror or error}") from None


def _write(path: str, text: str, info: os.stat_result) -> None:
    data = text.encode("utf-8")
    if info.st_nlink > 1:
        _write_in_place(path, data)
        return
    directory = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".twelvecheck-fix",
                                         dir=directory)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fchmod(out.fileno(), stat.S_IMODE(info.st_mode))
            if (info.st_uid, info.st_gid) != (os.geteuid(), os.getegid()):
                try:
                    os.fchown(out.fileno(), info.st_uid, info.st_gid)
                except PermissionError:
                    raise FixRefused("belongs to another user, whom the fixed file could not be given to; not fixed") from None
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise


def _write_in_place(path: str, data: bytes) -> None:
    """Rewrite the inode every hardlink shares (not atomic: the lock keeps other fixers out)."""
    fd = os.open(path, os.O_WRONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.ftruncate(fd, len(data))
        os.fsync(fd)
    finally:
        os.close(fd)
