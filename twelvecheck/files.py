"""Reading user files safely: only regular files inside the linted tree, size limits, binary and
encoding checks, never a traceback, never a hang.

The repository being linted is untrusted (twelvecheck runs on pull requests). A file is opened
only after ``lstat`` says it is a regular file; a FIFO, socket or device is reported, never
opened (so a FIFO named ``Dockerfile`` cannot hang a run and ``/dev/zero`` cannot fill memory).
A symbolic link is followed only when its target stays inside the *tree*: the directory being
linted (or audited), or the build context for files a Dockerfile copies. A link leaving the tree
is reported at the link, naming the link and where it points, and its target is never read.
"""

from __future__ import annotations

import os
import stat
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
_SNIFF_BYTES = 8192
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))


@dataclass(frozen=True, slots=True)
class Unreadable:
    """Why a file could not be read as text, and where (1-based line, column).

    ``outside`` marks a path refused because it leaves the tree (a symbolic link or a reference
    such as an ``env_file``), as opposed to a file that is merely broken."""

    reason: str
    line: int = 1
    column: int = 1
    outside: bool = False


def user_cache_dir(*parts: str) -> str:
    """Where twelvecheck keeps caches: ``$XDG_CACHE_HOME/twelvecheck`` or ``~/.cache/twelvecheck``."""
    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(root, "twelvecheck", *parts)


def load_cache(path: str) -> Any:
    """What ``store_cache`` wrote at ``path``, or None when it is missing or unreadable (a cache
    is only ever an optimisation)."""
    import marshal

    try:
        with open(path, "rb") as handle:
            data = handle.read()  # marshal.load on a file reads object by object: 3-8x slower
        return marshal.loads(data)
    except (OSError, EOFError, ValueError, TypeError):
        return None


def store_cache(path: str, data: Any) -> None:
    """Write plain data (marshal: no import, microseconds to load) atomically; an unwritable
    cache directory, or data marshal cannot store, leaves things as they were."""
    import marshal

    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(temporary, "wb") as handle:
            marshal.dump(data, handle)
        os.replace(temporary, path)
    except (OSError, ValueError):
        try:
            os.unlink(temporary)
        except OSError:
            pass


# Texts that stand for files on disk: an editor's unsaved buffers, by absolute path. Set for
# one lint by ``Overlay`` (the language server); empty everywhere else.
_OVERLAY: ContextVar[dict[str, str]] = ContextVar("twelvecheck_overlay", default={})


class Overlay:
    """``with Overlay({path: text}):`` files read meanwhile (in this thread) see ``text``."""

    def __init__(self, texts: dict[str, str]) -> None:
        self.texts = {os.path.abspath(path): text for path, text in texts.items()}
        self.token = None

    def __enter__(self) -> Overlay:
        self.token = _OVERLAY.set(self.texts)
        return self

    def __exit__(self, *exc: object) -> None:
        _OVERLAY.reset(self.token)


def unsaved_text(path: str) -> str | None:
    """The editor's text for ``path`` when one is overlaid, else None (read the disk)."""
    texts = _OVERLAY.get()
    return texts.get(os.path.abspath(path)) if texts else None


def real_root(path: str) -> str:
    """A tree root as compared against: absolute, symbolic links resolved."""
    return os.path.realpath(os.path.abspath(path))


def inside(path: str, root: str) -> bool:
    """Whether ``path`` (resolved) is ``root`` or below it; ``root`` as :func:`real_root` gives it."""
    real = os.path.realpath(path)
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def tree_for(path: str) -> str:
    """The tree a path named on the command line belongs to: a directory is its own tree; a file
    belongs to the working directory when it lies below it, else to its own directory."""
    absolute = os.path.abspath(path)
    if os.path.isdir(absolute) and not os.path.islink(absolute):
        return real_root(absolute)
    cwd = os.getcwd()
    if absolute.startswith(cwd.rstrip(os.sep) + os.sep):
        return real_root(cwd)
    return real_root(os.path.dirname(absolute))


def refuse_outside(path: str, root: str | None) -> Unreadable | None:
    """Why ``path`` must not be read from tree ``root`` (None: no tree, anything goes): it or a
    directory on its way is a symbolic link leaving the tree, or it is outside the tree."""
    if root is None or inside(path, root) or not os.path.lexists(path):
        return None  # a missing file fails to open like any other
    try:
        target = os.readlink(path) if os.path.islink(path) else None
    except OSError:
        target = None
    if target is not None:
        return Unreadable(f"symbolic link to {target!r} leads outside the linted tree; not read", outside=True)
    return Unreadable("path leads outside the linted tree; not read", outside=True)


def not_regular(mode: int) -> str | None:
    """What a non-regular file is ("a FIFO (named pipe)"), or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def check_readable(path: str, max_bytes: int = DEFAULT_MAX_BYTES, root: str | None = None) -> Unreadable | None:
    """Why :func:`read_bytes` would refuse ``path`` before opening it, or None."""
    if unsaved_text(path) is not None:
        return None  # the editor's text stands for the file
    try:
        refused = refuse_outside(path, root)
        if refused is not None:
            return refused
        before = os.stat(path)
    except OSError as error:
        return Unreadable(f"cannot read file: {error.strerror or error}")
    except ValueError as error:
        return Unreadable(f"cannot read file: {error}")
    kind = not_regular(before.st_mode)
    if kind is not None:
        return Unreadable(f"{kind}, not a regular file; not read")
    if before.st_size > max_bytes:
        return Unreadable(f"file is {before.st_size:,} bytes, over the {max_bytes:,}-byte limit; not read")
    return None


def read_bytes(path: str, max_bytes: int = DEFAULT_MAX_BYTES, root: str | None = None) -> bytes | Unreadable:
    """The bytes of a regular file inside ``root``, at most ``max_bytes`` of them, or why not
    (an editor's unsaved text for it, when the language server overlays one)."""
    unsaved = unsaved_text(path)
    if unsaved is not None:
        return unsaved.encode("utf-8")
    refused = check_readable(path, max_bytes, root)
    if refused is not None:
        return refused
    try:
        real = os.path.realpath(path)
        before = os.lstat(real)
        if not_regular(before.st_mode) is not None:
            return Unreadable("file changed while it was opened; not read")
        descriptor = os.open(real, _OPEN_FLAGS)
        with os.fdopen(descriptor, "rb") as handle:
            after = os.fstat(handle.fileno())
            if not stat.S_ISREG(after.st_mode) or (after.st_dev, after.st_ino) != (before.st_dev, before.st_ino):
                return Unreadable("file changed while it was opened; not read")
            data = handle.read(max_bytes + 1)
    except OSError as error:
        return Unreadable(f"cannot read file: {error.strerror or error}")
    except ValueError as error:  # an embedded NUL in the path
        return Unreadable(f"cannot read file: {error}")
    if len(data) > max_bytes:
        return Unreadable(f"file is over the {max_bytes:,}-byte limit; not read")
    return data


def read_text(path: str, max_bytes: int = DEFAULT_MAX_BYTES, root: str | None = None) -> str | Unreadable:
    """The file as text, or why not (see :func:`read_bytes`). Only reads up to the limit."""
    data = read_bytes(path, max_bytes, root)
    if isinstance(data, Unreadable):
        return data
    if b"\0" in data[:_SNIFF_BYTES]:
        return Unreadable("binary file (it contains NUL bytes); not a text file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        return Unreadable(f"invalid UTF-8 (byte 0x{data[error.start]:02x}); save the file as UTF-8", line, column)


def is_regular_file(path: str, root: str | None = None) -> bool:
    """``os.path.isfile`` that also refuses what :func:`read_bytes` would refuse to open."""
    try:
        if refuse_outside(path, root) is not None:
            return False
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False
