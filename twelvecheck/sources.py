"""The text of reported files, read once per run, for fingerprints and report snippets.

Findings carry paths relative to the report's root; reporters and the fingerprint need the lines
they point at. A file that cannot be read (gone, binary, too big) has no lines: that is already a
finding of its own, and the fingerprint and snippets fall back to nothing rather than fail.
"""

from __future__ import annotations

import os

from twelvecheck.files import read_text, real_root


class Sources:
    """Lines of files below ``root``, cached by the path a finding names."""

    def __init__(self, root: str = ".", texts: dict[str, str] | None = None):
        self.root = root
        # texts read from elsewhere than the named file (standard input): never read from disk
        self._lines: dict[str, list[str]] = {file: text.splitlines() for file, text in (texts or {}).items()}

    def lines(self, file: str) -> list[str]:
        if file not in self._lines:
            path = os.path.join(self.root, file)
            # the tree a finding's file belongs to: the report's root, or (a file named outside
            # it) its own directory; a link leading out of it is not read
            tree = real_root(self.root if not os.path.isabs(file) else os.path.dirname(file))
            text = read_text(path, root=tree)
            self._lines[file] = text.splitlines() if isinstance(text, str) else []
        return self._lines[file]

    def text(self, file: str, first: int, last: int) -> str:
        """Lines ``first`` to ``last`` (1-based, inclusive), joined; empty when unknown."""
        return "\n".join(self.lines(file)[max(first, 1) - 1:last])
