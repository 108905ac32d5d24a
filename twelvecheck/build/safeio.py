"""Opening the files of an image someone else made (layout blobs, ``index.json``, archives).

Such a file is only read when it is a regular file: a symlink to ``/dev/zero``, a FIFO or a
device would otherwise hang the build or fill its memory.  The check is made on the opened
descriptor (``O_NOFOLLOW | O_NONBLOCK``, then ``fstat``), so nothing can be swapped in between,
and small documents are size-checked before they are read.
"""

from __future__ import annotations

import os
import stat
from typing import BinaryIO


class UnreadableInput(ValueError):
    """The file is missing, not a regular file, or larger than allowed; the message names it."""


def open_regular(path: str, what: str, *, follow: bool = False) -> BinaryIO:
    """``path`` opened for reading if it is a regular file (``follow``: a symlink to one is fine,
    for a path the user typed)."""
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | (0 if follow else os.O_NOFOLLOW)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise UnreadableInput(f"{what} {path} does not exist") from None
    except OSError as error:
        if not follow and os.path.islink(path):
            raise UnreadableInput(f"{what} {path} is a symlink; only regular files are read") from None
        raise UnreadableInput(f"cannot open {what} {path}: {error.strerror or error}") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise UnreadableInput(f"{what} {path} is not a regular file; refusing to read it")
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def read_document(path: str, what: str, limit: int, size: int | None = None) -> bytes:
    """A small file read whole: refused before reading when over ``limit`` or not ``size`` bytes."""
    if size is not None and not 0 <= size <= limit:
        raise UnreadableInput(f"{what} {path}: its descriptor declares {size} bytes (limit {limit})")
    with open_regular(path, what) as handle:
        actual = os.fstat(handle.fileno()).st_size
        if actual > limit:
            raise UnreadableInput(f"{what} {path} is {actual} bytes (limit {limit})")
        if size is not None and actual != size:
            raise UnreadableInput(f"{what} {path} is {actual} bytes, its descriptor says {size}")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise UnreadableInput(f"{what} {path} grew past {limit} bytes while read")
    return data
