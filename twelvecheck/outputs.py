"""Writing an output file (a report's ``-o FILE``, ``build --output docker-archive:FILE``).

What the path names decides how it is written:

- nothing, or a regular file: a temporary file beside it, renamed over it, so a reader never sees
  half an output; a replaced file keeps its mode (and, when we are root, its owner);
- a symlink: the same, at the link's final target; the link stays a link;
- a device, a FIFO, ``/dev/stdout``: written into, in place (never replaced by a regular file);
- a directory: refused.

Every failure is an ``OutputError`` naming the path; the temporary file is removed on any error,
Ctrl-C and SIGTERM included.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import tempfile
import threading
from typing import BinaryIO, Callable, Iterator


class OutputError(OSError):
    """An output could not be written, or writing it was refused; the message names the path."""


def write_output(path: str, produce: Callable[[BinaryIO], None]) -> None:
    """Write what ``produce(stream)`` writes to ``path`` (see the module docstring)."""
    try:
        existing = os.stat(path)  # through symlinks: what will receive the bytes
    except FileNotFoundError:
        existing = None
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror or error}") from None
    if existing is not None and stat.S_ISDIR(existing.st_mode):
        raise OutputError(f"cannot write {path}: it is a directory")
    target = os.path.realpath(path)
    with terminate_as_exit():
        if existing is not None and not stat.S_ISREG(existing.st_mode):
            _write_in_place(path, produce, "wb")
        elif existing is not None and (target.startswith("/proc/") or path.startswith("/dev/")):
            _write_in_place(path, produce, "ab")  # /dev/stdout redirected to a file: the shell's file
        else:
            _write_beside(path, target, existing, produce)


def _write_in_place(path: str, produce: Callable[[BinaryIO], None], mode: str) -> None:
    try:
        with open(path, mode) as stream:
            produce(stream)
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror or error}") from None


def _write_beside(path: str, target: str, existing: os.stat_result | None,
                  produce: Callable[[BinaryIO], None]) -> None:
    directory = os.path.dirname(os.path.abspath(target))
    try:
        fd, temporary = tempfile.mkstemp(prefix=".twelvecheck-", dir=directory)
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror or error} (creating a temporary file in "
                          f"{directory})") from None
    try:
        with os.fdopen(fd, "wb") as stream:
            if existing is None:
                os.fchmod(stream.fileno(), 0o666 & ~_umask())  # mkstemp makes 0600; outputs are shared
            else:
                os.fchmod(stream.fileno(), stat.S_IMODE(existing.st_mode))
                if os.geteuid() == 0:
                    os.fchown(stream.fileno(), existing.st_uid, existing.st_gid)
            produce(stream)
        os.replace(temporary, target)
    except BaseException as error:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise OutputError(f"cannot write {path}: {error.strerror or error}") from None
        raise


@contextlib.contextmanager
def terminate_as_exit() -> Iterator[None]:
    """While writing, SIGTERM unwinds like Ctrl-C (so ``finally`` and ``except`` clean up) instead
    of killing the process mid-write; the previous handler comes back afterwards."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(signum, frame):
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
