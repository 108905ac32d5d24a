"""COPY and ADD into a stage's rootfs, with docker's destination rules.

A directory source copies its contents; a file goes to ``DEST/name`` when DEST ends with ``/``, is
an existing directory, or several sources were named, else to DEST itself.  Ownership defaults to
0:0 (``--chown`` changes it, for created parent directories too, as BuildKit does); modes come from
the source unless ``--chmod``; mtimes are kept.  ADD unpacks local tar archives with the same safe
extractor as base layers.  Every write resolves its parents inside the rootfs, so a symlink in the
image cannot redirect it to the host.
"""

from __future__ import annotations

import os
import shutil
import stat
import tarfile
from dataclasses import dataclass

from twelvecheck.build.context import Entry, SourceTree
from twelvecheck.build.paths import resolve_in_root
from twelvecheck.build.layerstream import Limits, verify_layer
from twelvecheck.build.unpack import unpack_layer


class CopyError(ValueError):
    pass


@dataclass(frozen=True)
class Attributes:
    uid: int = 0
    gid: int = 0
    chmod: int | None = None


def copy_into(tree: SourceTree, patterns: list[str], rootfs: str, dest: str, attributes: Attributes,
              *, extract_archives: bool = False) -> None:
    """Copy what ``patterns`` select from ``tree`` to the absolute image path ``dest``."""
    sources = [source for pattern in patterns for source in tree.select(pattern)]
    many = len(sources) > 1 or any(set("*?[") & set(pattern) for pattern in patterns)
    into_dir = dest.endswith("/") or many or os.path.isdir(resolve_in_root(rootfs, dest))
    for source in sources:
        if os.path.isdir(source.real):
            make_dirs(rootfs, dest, attributes)
            for entry in tree.walk(source):
                _place(entry, rootfs, f"{dest.rstrip('/')}/{entry.rel}".rstrip("/") or "/", attributes)
        elif extract_archives and _is_archive(source.real):
            where = f"ADD archive {source.rel or os.path.basename(source.real)}"
            with open(source.real, "rb") as archive:
                # Headers first, in one pass that writes nothing: an archive over the entry or
                # byte limits (a bomb) is refused in seconds, not after creating a million files.
                verify_layer(archive, where, limits=Limits.from_env())
                archive.seek(0)
                unpack_layer(archive, make_dirs(rootfs, dest, attributes), whiteouts=False, where=where)
        else:
            target = f"{dest.rstrip('/')}/{os.path.basename(source.real)}" if into_dir else dest
            make_dirs(rootfs, os.path.dirname(target), attributes)
            _place(Entry("", source.real, os.stat(source.real)), rootfs, target, attributes)


def make_dirs(rootfs: str, image_path: str, attributes: Attributes) -> str:
    """``mkdir -p`` inside the rootfs; returns the real path of ``image_path``."""
    parts = [part for part in image_path.split("/") if part]
    for depth in range(1, len(parts) + 1):
        real = resolve_in_root(rootfs, "/".join(parts[:depth]))
        if not os.path.lexists(real):
            os.mkdir(real, 0o755)
            os.lchown(real, attributes.uid, attributes.gid)
        elif not os.path.isdir(real):
            raise CopyError(f"cannot copy to /{'/'.join(parts[:depth])}: it exists and is not a directory")
    return resolve_in_root(rootfs, "/".join(parts))


def _place(entry: Entry, rootfs: str, image_path: str, attributes: Attributes) -> None:
    """Put one entry at ``image_path``: directories merge (through image symlinks such as
    /lib -> usr/lib), anything else replaces what was there."""
    mode = entry.st.st_mode
    if stat.S_ISDIR(mode):
        target = resolve_in_root(rootfs, image_path)
        if os.path.lexists(target) and not os.path.isdir(target):
            os.unlink(target)
        if not os.path.lexists(target):
            os.mkdir(target, 0o755)
        if image_path != "/":  # the rootfs root keeps its own metadata
            _set_attributes(target, entry.st, attributes)
        return
    parent, _, name = image_path.rpartition("/")
    target = os.path.join(resolve_in_root(rootfs, parent), name)
    if os.path.isdir(target) and not os.path.islink(target):
        shutil.rmtree(target)
    elif os.path.lexists(target):
        os.unlink(target)
    if stat.S_ISLNK(mode):
        os.symlink(os.readlink(entry.real), target)
    elif stat.S_ISREG(mode):
        shutil.copyfile(entry.real, target, follow_symlinks=False)
    else:
        return  # sockets, fifos and devices in a context are not copied
    _set_attributes(target, entry.st, attributes)


def _set_attributes(target: str, st: os.stat_result, attributes: Attributes) -> None:
    os.lchown(target, attributes.uid, attributes.gid)
    if not stat.S_ISLNK(st.st_mode):
        os.chmod(target, attributes.chmod if attributes.chmod is not None else stat.S_IMODE(st.st_mode))
    os.utime(target, ns=(st.st_mtime_ns, st.st_mtime_ns), follow_symlinks=False)


def _is_archive(path: str) -> bool:
    """A regular file that starts like a tar (plain or compressed); a FIFO is never opened."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode) and tarfile.is_tarfile(path)
    except (OSError, tarfile.TarError):
        return False
