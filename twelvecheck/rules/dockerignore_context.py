"""What ``.dockerignore`` rules see: the patterns and the build context directory they guard."""

from __future__ import annotations

import os

from functools import cached_property
from pathlib import Path

from twelvecheck.parse.dockerignore import Dockerignore
from twelvecheck.parse.model import ParseError
from twelvecheck.rules._nearby_compose import builds_context
from twelvecheck.rules.context import FileContext


class DockerignoreContext(FileContext):
    kind = "dockerignore"

    def __init__(self, path: str, dockerignore: Dockerignore, context_dir: Path, tree: str | None = None):
        super().__init__(path)
        self.dockerignore = dockerignore
        self.context_dir = context_dir
        self.tree = tree  # the linted tree: compose files above it are not read

    @property
    def parse_errors(self) -> tuple[ParseError, ...]:
        return self.dockerignore.errors

    @cached_property
    def top_level_names(self) -> tuple[str, ...]:
        """Names directly in the build context: what would be sent, before the patterns."""
        try:
            return tuple(sorted(entry.name for entry in self.context_dir.iterdir()))
        except OSError:
            return ()

    def exists(self, relative: str) -> bool:
        return os.path.exists(self.context_dir / relative)

    @cached_property
    def used_as_build_context(self) -> bool:
        """Some build sends this directory: a Dockerfile in it or up to two levels below it
        (``docker build -f docker/Dockerfile .``), or a compose ``build`` context resolving to it
        in a compose file of this directory or up to three above it. A ``.dockerignore`` in a
        directory nothing builds guards nothing."""
        return _has_dockerfile(self.context_dir, depth=2) or builds_context(self.context_dir, self.tree)


_DOCKERFILE_NAMES = ("Dockerfile", "Containerfile")


def _is_dockerfile(name: str) -> bool:
    return name in _DOCKERFILE_NAMES or name.startswith(("Dockerfile.", "Containerfile.")) \
        or name.endswith((".Dockerfile", ".dockerfile", ".Containerfile"))


def _has_dockerfile(directory: Path, depth: int) -> bool:
    try:
        entries = list(directory.iterdir())
    except OSError:
        return False
    if any(_is_dockerfile(entry.name) for entry in entries if entry.is_file()):
        return True
    return depth > 0 and any(_has_dockerfile(entry, depth - 1) for entry in entries
                             if entry.is_dir() and not entry.name.startswith(".") and entry.name != "node_modules")
