"""Regular expressions compiled the first time they are used.

A module-level ``re.compile`` costs its compile on every start, used or not; a rule module
that one Dockerfile never exercises should not. ``lazy_compile(pattern, flags)`` stands in for
``re.compile`` at module level: attribute access (``.match``, ``.sub``, ``.pattern``) compiles
once and forwards to the compiled pattern.
"""

from __future__ import annotations

from typing import Any


_METHODS = ("match", "search", "fullmatch", "sub", "finditer", "findall")


class LazyPattern:
    # once compiled, the pattern's own methods sit in these slots: no forwarding per call
    __slots__ = ("_pattern", "_flags", "_compiled", *_METHODS)

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._pattern = pattern
        self._flags = flags
        self._compiled: Any = None

    def __getattr__(self, name: str) -> Any:
        compiled = self._compiled
        if compiled is None:
            import re

            compiled = self._compiled = re.compile(self._pattern, self._flags)
            for method in _METHODS:
                setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy_compile({self._pattern!r}, {self._flags!r})"


def lazy_compile(pattern: str, flags: int = 0) -> Any:
    """``re.compile(pattern, flags)``, deferred until the pattern is first used."""
    return LazyPattern(pattern, flags)
