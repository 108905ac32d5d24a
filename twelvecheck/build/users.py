"""Users and groups named in USER and ``--chown``, resolved through the image's own files.

Names mean what the image's /etc/passwd and /etc/group say, never what the build host says:
that is how docker and BuildKit resolve them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


class UnknownUser(ValueError):
    pass


@dataclass(frozen=True)
class Identity:
    uid: int
    gid: int
    extra_gids: tuple[int, ...] = ()


def resolve(rootfs: str, spec: str, *, with_groups: bool = False) -> Identity:
    """``user``, ``user:group``, ``uid`` or ``uid:gid`` as numbers (docker's USER rules).

    A numeric user missing from /etc/passwd gets gid 0, a named one must exist.
    ``with_groups`` adds the supplementary groups /etc/group lists for the user (for RUN).
    """
    user, _, group = spec.partition(":")
    passwd = _read_table(rootfs, "etc/passwd")
    entry = _find(passwd, user)
    if entry is None and not user.isdigit():
        raise UnknownUser(f"unable to find user {user}: no matching entries in the image's /etc/passwd")
    uid = int(user) if user.isdigit() else int(entry[2])
    gid = int(entry[3]) if entry else 0
    groups = _read_table(rootfs, "etc/group")
    if group:
        found = _find(groups, group)
        if found is None and not group.isdigit():
            raise UnknownUser(f"unable to find group {group}: no matching entries in the image's /etc/group")
        gid = int(group) if group.isdigit() else int(found[2])
    extra: tuple[int, ...] = ()
    if with_groups and entry:
        extra = tuple(sorted({int(row[2]) for row in groups
                              if len(row) > 3 and entry[0] in row[3].split(",") and int(row[2]) != gid}))
    return Identity(uid, gid, extra)


def resolve_chown(rootfs: str, spec: str) -> Identity:
    """``COPY --chown``: as USER, except that a numeric user without a group gets the same
    number as gid (docker's documented rule, which BuildKit applies even when /etc/passwd lists
    the uid with another group); a name without a group takes its primary group."""
    user, _, group = spec.partition(":")
    if user.isdigit() and not group:
        return Identity(int(user), int(user))
    return resolve(rootfs, spec)


def _find(table: list[list[str]], name: str) -> list[str] | None:
    by_name = next((row for row in table if row[0] == name), None)
    if by_name or not name.isdigit():
        return by_name
    return next((row for row in table if row[2] == name), None)


def _read_table(rootfs: str, relative: str) -> list[list[str]]:
    """Rows of a colon-separated file; the file is read without following a symlink out."""
    path = os.path.join(rootfs, relative)
    if os.path.islink(path) or not os.path.isfile(path):
        return []
    with open(path, encoding="utf-8", errors="replace") as handle:
        return [line.rstrip("\n").split(":") for line in handle
                if line.strip() and not line.startswith("#") and line.count(":") >= 2]
