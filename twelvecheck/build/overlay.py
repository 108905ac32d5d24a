"""Recording a step's change with overlayfs: the kernel writes it to an upper directory for us.

The step runs on an overlay mount whose lower directory is the stage rootfs and whose upper
directory starts empty, so afterwards the upper directory holds exactly what the step touched:
new and copied-up entries, a character device 0/0 for each deletion and the
``trusted.overlay.opaque`` xattr on a directory that was removed and made again.  That becomes the
layer (OCI ``.wh.`` whiteouts and opaque markers) without walking the whole rootfs twice, which is
what snapshot-and-compare (diff.py) costs on a large tree.  Then the upper directory is moved into
the rootfs, so the next step sees the result.

Mounted with ``redirect_dir=off,metacopy=off,index=off`` so the upper directory is
self-contained (a renamed directory is copied, not recorded as a redirect to a lower path), and
``volatile`` (Linux 5.10+): without it every unmount syncs the whole filesystem, writing back the
freshly unpacked rootfs, which made overlay slower than snapshots here.  The scratch directories
are thrown away anyway, so there is nothing to make durable.  Needs root and a kernel with
overlay; ``unavailable_reason`` says why not, and the builder falls back to snapshots.
"""

from __future__ import annotations

import ctypes
import functools
import os
import shutil
import stat
import tempfile
from typing import Callable, TypeVar

from twelvecheck.build.diff import Change, Diff, Signature, describe_change, parents, signature
from twelvecheck.build.layer import OVERLAY_XATTR_PREFIX, Member

OPAQUE_XATTR = OVERLAY_XATTR_PREFIX + "opaque"
_MOUNT_OPTIONS = "redirect_dir=off,metacopy=off,index=off,volatile"
_MNT_DETACH = 2
_OPTION_UNSAFE = (",", ":", "\\")  # would be read as separators inside the mount options

Kept = TypeVar("Kept")


class OverlayTracker:
    """Runs steps on an overlay over ``rootfs``; scratch directories live in ``work``."""

    def __init__(self, rootfs: str, work: str):
        self.rootfs = rootfs
        self.work = work

    def refresh(self) -> None:
        """Nothing to remember between steps: the upper directory is the record."""

    def record(self, execute: Callable[[str], None], keep: Callable[[str, Diff], Kept]) -> tuple[Diff, Kept]:
        scratch = tempfile.mkdtemp(prefix="overlay-", dir=self.work)
        try:
            upper = os.path.join(scratch, "upper")
            with _mounted(self.rootfs, scratch) as root:
                execute(root)
            changes = upper_diff(upper, self.rootfs)
            kept = keep(upper, changes)
            merge_upper(upper, self.rootfs)
            return changes, kept
        finally:
            shutil.rmtree(scratch, ignore_errors=True)


@functools.cache
def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


class _mounted:
    """The overlay mount at ``scratch/merged`` for the duration of a ``with`` block."""

    def __init__(self, lower: str, scratch: str):
        self.lower = lower
        self.scratch = scratch
        self.merged = os.path.join(scratch, "merged")

    def __enter__(self) -> str:
        for name in ("upper", "work", "merged"):
            os.mkdir(os.path.join(self.scratch, name), 0o755)
        options = (f"lowerdir={self.lower},upperdir={self.scratch}/upper,workdir={self.scratch}/work,"
                   f"{_MOUNT_OPTIONS}")
        if _libc().mount(b"overlay", self.merged.encode(), b"overlay", 0, options.encode()) != 0:
            error = ctypes.get_errno()
            raise OSError(error, f"mount -t overlay: {os.strerror(error)}", self.merged)
        return self.merged

    def __exit__(self, *exc) -> None:
        if _libc().umount2(self.merged.encode(), 0) != 0:  # a process still inside: detach lazily
            _libc().umount2(self.merged.encode(), _MNT_DETACH)


def unavailable_reason(work: str) -> str | None:
    """Why overlay cannot be used for steps under ``work`` (None when it can): probed once per
    filesystem, since an upper directory on some filesystems (overlay itself) is refused."""
    if os.geteuid() != 0:
        return "overlay mounts need root"
    try:
        with open("/proc/filesystems") as handle:
            if "overlay" not in handle.read().split():
                return "the kernel has no overlay filesystem"
    except OSError:
        return "/proc/filesystems is not readable"
    if any(character in os.path.abspath(work) for character in _OPTION_UNSAFE):
        return f"{work} has a character overlay mount options cannot carry"
    return _probe(os.stat(work).st_dev, work)


@functools.cache
def _probe(device: int, work: str) -> str | None:
    scratch = tempfile.mkdtemp(prefix="overlay-probe-", dir=work)
    try:
        lower = os.path.join(scratch, "lower")
        os.mkdir(lower)
        with _mounted(lower, scratch):
            return None
    except OSError as error:
        return f"an overlay mount failed here ({error.strerror})"
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def upper_diff(upper: str, lower: str) -> Diff:
    """Layer members and change records from what overlay left in ``upper``, in the order and
    with the meaning diff.compare gives them, so both methods make identical layers."""
    members: list[Member] = []
    changes: list[Change] = []
    deletions: list[Change] = []
    pending = [("", False)]  # (directory relative to upper, inside an opaque directory)
    while pending:
        directory, in_opaque = pending.pop()
        with os.scandir(os.path.join(upper, directory)) as entries:
            for entry in entries:
                rel = directory + entry.name
                st = entry.stat(follow_symlinks=False)
                if _is_whiteout(st):
                    members.append(Member(rel, "whiteout"))
                    deletions.append(Change("/" + rel, "deleted", "", 0))
                    continue
                members.append(Member(rel))
                # overlay also marks a directory made where a file was; there is nothing to hide
                opaque = stat.S_ISDIR(st.st_mode) and _is_opaque(entry.path) and _is_real_dir(os.path.join(lower, rel))
                if opaque:
                    members.append(Member(rel, "opaque"))
                change = _change_against_lower(rel, signature(st), lower, in_opaque)
                if change:
                    changes.append(change)
                if stat.S_ISDIR(st.st_mode):
                    pending.append((rel + "/", in_opaque or opaque))
    ordered = sorted(changes, key=lambda change: change.path) + sorted(deletions, key=lambda change: change.path)
    return Diff(tuple(sorted(_without_bare_parents(members, ordered), key=Member.sort_key)), tuple(ordered))


def _without_bare_parents(members: list[Member], changes: list[Change]) -> list[Member]:
    """Drop copied-up directories that neither changed nor hold a change (a RUN mount point was
    made and removed in them), as diff.compare never lists them."""
    changed = {change.path.lstrip("/") for change in changes}
    significant = [member for member in members if member.kind != "entry" or member.path in changed]
    needed = {member.path for member in significant} | {parent for member in significant for parent in parents(member.path)}
    return [member for member in members if member.path in needed]


def _change_against_lower(rel: str, new: Signature, lower: str, in_opaque: bool) -> Change | None:
    """A copied-up directory whose own metadata did not change is only a parent of changes."""
    try:
        old = signature(os.lstat(os.path.join(lower, rel)))
    except FileNotFoundError:
        old = None
    if old is None or in_opaque:
        return describe_change(rel, "added", new)
    if stat.S_ISDIR(old[0]) and stat.S_ISDIR(new[0]) and old[:3] + old[4:5] == new[:3] + new[4:5]:
        return None
    return describe_change(rel, "changed", new)


def _is_whiteout(st: os.stat_result) -> bool:
    return stat.S_ISCHR(st.st_mode) and st.st_rdev == 0


def _is_opaque(path: str) -> bool:
    try:
        return os.getxattr(path, OPAQUE_XATTR, follow_symlinks=False) == b"y"
    except OSError:
        return False


def _strip_overlay_xattrs(path: str) -> None:
    """Overlay marks copied-up entries (``trusted.overlay.origin``…); they must not reach the
    rootfs, where a later overlay would read them as its own."""
    for name in os.listxattr(path, follow_symlinks=False):
        if name.startswith(OVERLAY_XATTR_PREFIX):
            os.removexattr(path, name, follow_symlinks=False)


def merge_upper(upper: str, lower: str) -> None:
    """Apply the upper directory to ``lower`` as overlay showed it: whiteouts delete; opaque or
    new directories and all other entries replace what was there (a rename, no copying); a
    directory present in both gets its children merged, then the upper metadata (last, because
    the renames into it moved its mtime)."""
    merged_dirs: list[tuple[str, str, os.stat_result]] = []
    pending = [""]
    while pending:
        directory = pending.pop()
        with os.scandir(os.path.join(upper, directory)) as entries:
            for entry in entries:
                rel = directory + entry.name
                target = os.path.join(lower, rel)
                st = entry.stat(follow_symlinks=False)
                if _is_whiteout(st):
                    _remove(target)
                elif stat.S_ISDIR(st.st_mode) and _is_real_dir(target) and not _is_opaque(entry.path):
                    merged_dirs.append((entry.path, target, st))
                    pending.append(rel + "/")
                else:
                    _remove(target)
                    _strip_overlay_xattrs(entry.path)
                    os.rename(entry.path, target)
    for source, target, st in reversed(merged_dirs):  # children before their parents
        _copy_metadata(source, target, st)


def _is_real_dir(path: str) -> bool:
    return os.path.isdir(path) and not os.path.islink(path)


def _remove(path: str) -> None:
    if _is_real_dir(path):
        shutil.rmtree(path)
    elif os.path.lexists(path):
        os.unlink(path)


def _copy_metadata(source: str, target: str, st: os.stat_result) -> None:
    os.chown(target, st.st_uid, st.st_gid)
    os.chmod(target, stat.S_IMODE(st.st_mode))
    wanted = {name: os.getxattr(source, name) for name in os.listxattr(source)
              if not name.startswith(OVERLAY_XATTR_PREFIX)}
    for name in os.listxattr(target):
        if name not in wanted:
            os.removexattr(target, name)
    for name, value in wanted.items():
        os.setxattr(target, name, value)
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
