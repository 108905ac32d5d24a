"""What repository rules see: the file list of the audited tree and, in a git checkout, which
files git tracks (a committed ``.env`` is a leak even when ``.gitignore`` lists it later)."""

from __future__ import annotations

import os
import subprocess
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from twelvecheck.findings import Finding
from twelvecheck.parse.model import Span
from twelvecheck.rules.context import FileContext

if TYPE_CHECKING:
    from twelvecheck.rules.crosscheck._apps import Application

_WHOLE_FILE = Span(1, 1, 1, 2)


def git_toplevel(directory: str | os.PathLike) -> Path | None:
    """The top level of the git checkout holding ``directory``, or None outside one (or
    without git)."""
    try:
        result = subprocess.run(["git", "-C", str(directory), "rev-parse", "--show-toplevel"], capture_output=True,
                                timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    top = result.stdout.decode("utf-8", "replace").strip()
    return Path(top).resolve() if result.returncode == 0 and top else None


class RepositoryContext(FileContext):
    kind = "repository"

    def __init__(self, root: str, files: tuple[str, ...]):
        super().__init__(".")
        self.root = Path(root).resolve()
        self.files = files  # relative POSIX paths, .gitignore respected

    @cached_property
    def tracked(self) -> frozenset[str] | None:
        """Paths git tracks below the root (relative to it), or None outside a git checkout."""
        try:
            result = subprocess.run(["git", "-C", str(self.root), "ls-files", "-z"], capture_output=True,
                                    timeout=60, check=False)
        except (OSError, subprocess.TimeoutExpired):
            return None
        if result.returncode != 0:
            return None
        return frozenset(p for p in result.stdout.decode("utf-8", "replace").split("\0") if p)

    @cached_property
    def all_files(self) -> frozenset[str]:
        """Every file we know of: walked (not ignored) and tracked (even if now ignored)."""
        return frozenset(self.files) | (self.tracked or frozenset())

    @cached_property
    def applications(self) -> list[Application]:
        """Each Dockerfile with the source files below it, for the code/container cross-checks."""
        from twelvecheck.rules.crosscheck._apps import applications

        return applications(self.root, self.files)

    def exists(self, relative: str) -> bool:
        return relative in self.all_files or os.path.isfile(self.root / relative)

    def finding(self, relative: str, message: str, hint: str | None = None) -> Finding:
        return Finding(_WHOLE_FILE, message, hint, file=relative.replace(os.sep, "/"))
