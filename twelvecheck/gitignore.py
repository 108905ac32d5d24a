"""A ``.gitignore`` matcher, so directory discovery skips what git skips."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache

from twelvecheck.files import read_bytes, real_root


@dataclass(frozen=True, slots=True)
class _Pattern:
    regex: re.Pattern[str]
    negated: bool
    directory_only: bool


def _translate(glob: str) -> str:
    out, index = [], 0
    while index < len(glob):
        ch = glob[index]
        if glob.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
            continue
        if glob.startswith("/**", index) and index + 3 == len(glob):
            out.append("/.*")
            index += 3
            continue
        if glob.startswith("**", index):
            out.append(".*")
            index += 2
            continue
        if ch == "*":
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "[":
            end = glob.find("]", index + 1)
            if end < 0:
                out.append(re.escape(ch))
            else:
                body = glob[index + 1 : end].replace("\\", "\\\\")
                out.append("[^" + body[1:] + "]" if body.startswith("!") else "[" + body + "]")
                index = end
        elif ch == "\\" and index + 1 < len(glob):
            index += 1
            out.append(re.escape(glob[index]))
        else:
            out.append(re.escape(ch))
        index += 1
    return "".join(out)


@lru_cache(maxsize=1024)
def _compile(line: str) -> _Pattern | None:
    line = line.rstrip("\n").rstrip("\r")
    if not line.strip() or line.startswith("#"):
        return None
    line = line.rstrip(" ") if not line.endswith("\\ ") else line
    negated = line.startswith("!")
    if negated:
        line = line[1:]
    directory_only = line.endswith("/")
    line = line.rstrip("/")
    anchored = "/" in line
    line = line.lstrip("/")
    prefix = "" if anchored else "(?:.*/)?"
    return _Pattern(re.compile(f"^{prefix}{_translate(line)}$"), negated, directory_only)


class GitIgnore:
    """The patterns of every ``.gitignore`` from the root down to a directory."""

    def __init__(self, root: str) -> None:
        self.root = root
        self._tree = real_root(root)
        self._by_dir: dict[str, list[tuple[str, _Pattern]]] = {}

    def _patterns(self, directory: str) -> list[tuple[str, _Pattern]]:
        if directory not in self._by_dir:
            parent = os.path.dirname(directory)
            inherited = [] if directory == self.root or parent == directory else self._patterns(parent)
            # a regular file inside the tree only: a FIFO or a link out of it is not read
            data = read_bytes(os.path.join(directory, ".gitignore"), root=self._tree)
            lines = data.decode("utf-8", errors="replace").splitlines() if isinstance(data, bytes) else []
            own = [(directory, p) for p in map(_compile, lines) if p is not None]
            self._by_dir[directory] = inherited + own
        return self._by_dir[directory]

    def ignored(self, path: str, is_dir: bool) -> bool:
        verdict = False
        for base, pattern in self._patterns(os.path.dirname(path)):
            if pattern.directory_only and not is_dir:
                continue
            if pattern.regex.match(os.path.relpath(path, base).replace(os.sep, "/")):
                verdict = not pattern.negated
        return verdict
