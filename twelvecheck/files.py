"""Reading user files safely: size limits, binary and encoding checks, never a traceback."""

from __future__ import annotations

import os
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
_SNIFF_BYTES = 8192


@dataclass(frozen=True, slots=True)
class Unreadable:
    """Why a file could not be read as text, and where (1-based line, column)."""

    reason: str
    line: int = 1
    column: int = 1


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
            return marshal.load(handle)
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


def read_text(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> str | Unreadable:
    """The file as text, or why not. Only reads up to the limit: a huge file costs nothing."""
    unsaved = unsaved_text(path)
    if unsaved is not None:
        return unsaved
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > max_bytes:
                return Unreadable(f"file is {size:,} bytes, over the {max_bytes:,}-byte limit; not read")
            data = handle.read(max_bytes + 1)
    except OSError as error:
        return Unreadable(f"cannot read file: {error.strerror or error}")
    if len(data) > max_bytes:
        return Unreadable(f"file is over the {max_bytes:,}-byte limit; not read")
    if b"\0" in data[:_SNIFF_BYTES]:
        return Unreadable("binary file (it contains NUL bytes); not a text file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        return Unreadable(f"invalid UTF-8 (byte 0x{data[error.start]:02x}); save the file as UTF-8", line, column)
