"""Resolving a path inside a root directory as if that directory were ``/``.

Symlinks are followed, but an absolute target restarts at the root and ``..`` stops at it, so the
result is always inside the root: this is how COPY reads the build context (a symlink to
``/etc/passwd`` means the context's ``etc/passwd``, never the host's) and how it writes into a
stage's rootfs (``/lib -> usr/lib`` is honoured).
"""

from __future__ import annotations

import os
from collections import deque

_MAX_SYMLINKS = 40  # what Linux allows in one lookup


class ScopedPathError(OSError):
    pass


def resolve_in_root(root: str, path: str, *, follow_final: bool = True) -> str:
    pending = deque(part for part in path.split("/") if part)
    resolved: list[str] = []
    followed = 0
    while pending:
        part = pending.popleft()
        if part == ".":
            continue
        if part == "..":
            if resolved:
                resolved.pop()
            continue
        candidate = os.path.join(root, *resolved, part)
        if (pending or follow_final) and os.path.islink(candidate):
            followed += 1
            if followed > _MAX_SYMLINKS:
                raise ScopedPathError(f"too many levels of symbolic links resolving {path!r}")
            target = os.readlink(candidate)
            if target.startswith("/"):
                resolved = []
            pending.extendleft(reversed([item for item in target.split("/") if item]))
            continue
        resolved.append(part)
    return os.path.join(root, *resolved)
