"""What a build step changed in a rootfs: snapshot before, walk and compare after.

A snapshot records each path's lstat signature; the inode and ctime are part of it, so a
content change that keeps size and mtime (``touch -d``, ``cp -p``) is still seen.  A change of the
link count alone (another name of a hardlinked file removed) moves the ctime too but is not a
change of the file, as overlayfs (overlay.py) agrees: such entries stay out of the layer.  The comparison
gives both the tar members of the step's layer (changed entries, their parent directories,
whiteouts for deletions, an opaque marker for a directory that was removed and recreated) and the
list of real changes, which is what the verifier reads per layer.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass

from twelvecheck.build.layer import Member

Signature = tuple[int, int, int, int, int, int, int, int]  # mode, uid, gid, size, mtime, ctime, inode, nlink
Snapshot = dict[str, Signature]


@dataclass(frozen=True)
class Change:
    path: str  # absolute in the image: '/etc/passwd'
    kind: str  # 'added', 'changed' or 'deleted'
    type: str  # 'file', 'dir', 'symlink', 'other' ('' for deletions)
    size: int  # bytes of a regular file's new content, else 0

    def to_json(self) -> dict[str, object]:
        return {"path": self.path, "kind": self.kind, "type": self.type, "size": self.size}


@dataclass(frozen=True)
class Diff:
    members: tuple[Member, ...]
    changes: tuple[Change, ...]


def signature(st: os.stat_result) -> Signature:
    return st.st_mode, st.st_uid, st.st_gid, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_nlink


def snapshot(root: str) -> Snapshot:
    result: Snapshot = {}
    pending = [("", root)]
    while pending:
        prefix, directory = pending.pop()
        with os.scandir(directory) as entries:
            for entry in entries:
                rel = prefix + entry.name
                st = entry.stat(follow_symlinks=False)
                result[rel] = signature(st)
                if stat.S_ISDIR(st.st_mode):
                    pending.append((rel + "/", entry.path))
    return result


def compare(before: Snapshot, after: Snapshot) -> Diff:
    members: set[Member] = set()
    changes: list[Change] = []
    replaced_dirs = set()  # hide everything lower layers had under them
    for path in sorted(after):
        new, old = after[path], before.get(path)
        if (old == new or _only_link_count_changed(old, new) or _same_directory(old, new)) and not _under(path, replaced_dirs):
            continue
        members.add(Member(path))
        if old is None or _under(path, replaced_dirs):
            changes.append(describe_change(path, "added", new))
            continue
        changes.append(describe_change(path, "changed", new))
        if stat.S_ISDIR(old[0]) and stat.S_ISDIR(new[0]) and old[6] != new[6]:
            replaced_dirs.add(path)
            members.add(Member(path, "opaque"))
        elif stat.S_ISDIR(old[0]) != stat.S_ISDIR(new[0]):
            replaced_dirs.add(path)  # a dir became a file (or back): the new entry replaces it whole
    for path in sorted(set(before) - set(after)):
        parent = path.rpartition("/")[0]
        if parent and (parent not in after or parent in replaced_dirs or _under(parent, replaced_dirs)):
            continue  # a deleted or replaced parent already hides it
        members.add(Member(path, "whiteout"))
        changes.append(Change("/" + path, "deleted", "", 0))
    members |= {Member(parent) for member in members for parent in parents(member.path)}
    return Diff(tuple(sorted(members, key=Member.sort_key)), tuple(changes))


def _only_link_count_changed(old: Signature | None, new: Signature) -> bool:
    return old is not None and old[7] != new[7] and old[:5] == new[:5] and old[6] == new[6]


def _same_directory(old: Signature | None, new: Signature) -> bool:
    """A directory whose mode, owner, mtime and inode are unchanged: something was made in it and
    removed again (a RUN mount point), which only touched its ctime, size and link count."""
    return (old is not None and stat.S_ISDIR(old[0]) and stat.S_ISDIR(new[0])
            and old[:3] == new[:3] and old[4] == new[4] and old[6] == new[6])


def _under(path: str, directories: set[str]) -> bool:
    return bool(directories) and any(parent in directories for parent in parents(path))


def parents(path: str) -> list[str]:
    parts = path.split("/")
    return ["/".join(parts[:depth]) for depth in range(1, len(parts))]


def describe_change(path: str, kind: str, new: Signature) -> Change:
    mode = new[0]
    if stat.S_ISREG(mode):
        return Change("/" + path, kind, "file", new[3])
    kind_name = "dir" if stat.S_ISDIR(mode) else "symlink" if stat.S_ISLNK(mode) else "other"
    return Change("/" + path, kind, kind_name, 0)
