"""Dotted tree paths with wildcards, the way compose-go names its per-field rules.

A path is a tuple of mapping keys (str) and sequence indexes (int).  In a pattern ``*`` matches
any one key and ``[]`` any one index: ``services.*.ports.[].target``.
"""

from __future__ import annotations

from functools import lru_cache

TreePath = tuple[str | int, ...]


@lru_cache(maxsize=None)
def _segments(pattern: str) -> tuple[str, ...]:
    return tuple(pattern.split("."))


def matches(path: TreePath, pattern: str) -> bool:
    segments = _segments(pattern)
    if len(segments) != len(path):
        return False
    for step, segment in zip(path, segments):
        if segment == "[]":
            if not isinstance(step, int):
                return False
        elif segment != "*" and segment != step:
            return False
    return True


def first_match(path: TreePath, table: dict[str, object]) -> object | None:
    """The value of the first pattern in ``table`` that matches ``path``."""
    for pattern, value in table.items():
        if matches(path, pattern):
            return value
    return None


def dotted(path: TreePath) -> str:
    return ".".join(str(step) for step in path)
