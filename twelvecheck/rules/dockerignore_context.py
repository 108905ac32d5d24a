"""What ``.dockerignore`` rules see: the patterns and the build context directory they guard."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from twelvecheck.parse.dockerignore import Dockerignore
from twelvecheck.rules.context import FileContext


class DockerignoreContext(FileContext):
    kind = "dockerignore"

    def __init__(self, path: str, dockerignore: Dockerignore, context_dir: Path):
        super().__init__(path)
        self.dockerignore = dockerignore
        self.context_dir = context_dir

    @cached_property
    def top_level_names(self) -> tuple[str, ...]:
        """Names directly in the build context: what would be sent, before the patterns."""
        try:
            return tuple(sorted(entry.name for entry in self.context_dir.iterdir()))
        except OSError:
            return ()

    def exists(self, relative: str) -> bool:
        return (self.context_dir / relative).exists()
