"""``RUN --mount=…`` flags as key/value options (BuildKit's CSV syntax)."""

from __future__ import annotations

import csv
from dataclasses import dataclass

from twelvecheck.parse.model import Instruction


@dataclass(frozen=True, slots=True)
class Mount:
    type: str
    target: str
    options: dict[str, str]


def mounts(instruction: Instruction) -> list[Mount]:
    found = []
    for value in instruction.flag_values("mount"):
        options: dict[str, str] = {}
        for field in next(csv.reader([value]), []):
            key, sep, item = field.partition("=")
            options[key.strip().lower()] = item if sep else "true"
        target = options.get("target") or options.get("dst") or options.get("destination") or ""
        found.append(Mount(options.get("type", "bind"), target.rstrip("/"), options))
    return found


def caches_path(instruction: Instruction, path: str) -> bool:
    """A cache or tmpfs mount covers ``path``: files written there never reach the layer."""
    path = path.rstrip("/")
    return any(m.type in ("cache", "tmpfs") and m.target and (path == m.target or path.startswith(m.target + "/"))
               for m in mounts(instruction))
