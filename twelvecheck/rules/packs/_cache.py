"""Parsed pack files, kept between runs so the one-Dockerfile pre-commit path never imports
YAML for the built-in packs.

Why marshal: the parsed YAML is plain data (dicts, lists, strings, numbers), which marshal
stores and loads in microseconds and which costs no import at all (importlib already loaded
it); pyyaml costs about 15 ms to import (measured in ``docs/packs.md``), more than all the
pack rules together cost to run. Each entry is keyed by the file's absolute path and checked
against its modification time and size, so an edited pack is read again; the cache is one
file in the user cache directory, rewritten atomically; losing it only costs the next run
the YAML import.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from twelvecheck.files import load_cache, store_cache, user_cache_dir

FORMAT = 1  # bump when the stored shape changes
_memory: dict[str, tuple[int, int, Any]] | None = None


def _cache_file() -> str:
    return os.path.join(user_cache_dir("packs"), f"parsed-v{FORMAT}.marshal")


def _entries() -> dict[str, tuple[int, int, Any]]:
    global _memory
    if _memory is None:
        loaded = load_cache(_cache_file())
        _memory = loaded if isinstance(loaded, dict) else {}
    return _memory


def parsed(path: Path, parse: Any) -> Any:
    """The data of the pack at ``path``: from the cache when the file is unchanged, else
    ``parse(path)`` (which may raise), stored for the next run."""
    key = str(path.resolve())
    stat = path.stat()
    entries = _entries()
    cached = entries.get(key)
    if cached is not None and cached[:2] == (stat.st_mtime_ns, stat.st_size):
        return cached[2]
    data = parse(path)
    entries[key] = (stat.st_mtime_ns, stat.st_size, data)
    _store(entries)
    return data


def _store(entries: dict[str, tuple[int, int, Any]]) -> None:
    store_cache(_cache_file(), entries)  # data marshal cannot store (a YAML date): parse next time
