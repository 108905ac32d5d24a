"""Container paths as written in WORKDIR, COPY and ADD destinations."""

from __future__ import annotations

from twelvecheck.lazy_re import lazy_compile

_ABSOLUTE = lazy_compile(r"^([A-Za-z]:)?[\\/]")


def is_absolute(path: str) -> bool:
    """POSIX ``/app``, or Windows ``C:\\app`` / ``\\app`` (Windows images use either)."""
    return _ABSOLUTE.match(path) is not None
