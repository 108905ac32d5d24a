"""COPY and ADD into a stage's rootfs, with docker's destination rules.

A directory source copies its contents; a file goes to ``DEST/name`` when DEST ends with ``/``, is
an existing directory, or several sources were named, else to DEST itself (``name`` is the name
given: a named symlink is copied as a regular file under its own name, see context.py).

Owners and modes, as BuildKit gives them (checked against it in tests/build/test_parity*.py):

- what is copied (files, and the directories *inside* a copied directory) gets ``--chown``'s
  owner (default 0:0) and ``--chmod``'s mode, else the source's mode;
- directories created to hold it (missing parents, and the destination of a directory source)
  get mode 0755 and ``--chown``'s owner, whatever ``--chmod`` says: a mode without an x bit must
  not make the destination untraversable;
- an existing destination directory keeps its own mode and owner (``COPY --chown=app dir /tmp/``
  leaves /tmp 1777 root); an existing directory *inside* the copied tree takes the source's;
- ADD of a local tar unpacks it with the archive's own owners and modes (``--chown`` and
  ``--chmod`` only apply to the directories created to hold it).

mtimes are kept.  ADD unpacks local tar archives with the same safe extractor as base layers.
Sockets, fifos and devices *inside* a copied directory are skipped, as BuildKit skips them; a
named one is an error (context.py).  Every write resolves its parents inside the rootfs, so a
symlink in the image cannot redirect it to the host.
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
            make_dirs(rootfs, dest, attributes)  # the directory's own metadata is not copied
            for entry in tree.walk(source):
                if entry.rel:
                    _place(entry, rootfs, f"{dest.rstrip('/')}/{entry.rel}", attributes)
        elif extract_archives and _is_archive(source.real):
            where = f"ADD archive {source.rel or os.path.basename(source.real)}"
            with open(source.real, "rb") as archive:
                # Headers first, in one pass that writes nothing: an archive over the entry or
                # byte limits (a bomb) is refused in seconds, not after creating a million files.
                verify_layer(archive, where, limits=Limits.from_env())
                archive.seek(0)
                unpack_layer(archive, make_dirs(rootfs, dest, attributes), whiteouts=False, where=where)
        else:
            target = f"{dest.rstrip('/')}/{source.copy_name}" if into_dir else dest
            make_dirs(rootfs, os.path.dirname(target), attributes)
            _place(Entry("", source.real, os.stat(source.real)), rootfs, target, attributes)


def make_dirs(rootfs: str, image_path: str, attributes: Attributes) -> str:
    """``mkdir -p`` inside the rootfs, new directories 0755 owned by ``attributes``' owner (never
    its chmod); returns the real path of ``image_path``."""
    parts = [part for part in image_path.split("/") if part]
    for depth in range(1, len(parts) + 1):
        real = resolve_in_root(rootfs, "/".join(parts[:depth]))
        if not os.path.lexists(real):
            os.mkdir(real)
            os.chmod(real, 0o755)  # not left to the umask
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
        return  # sockets, fifos and devices inside a copied directory: skipped, as by BuildKit
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
