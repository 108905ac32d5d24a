from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.parse.model import Span
from twelvecheck.rules.base import Rule


class UnreadableFile(Rule):
    """A file that cannot be read as text: binary, not UTF-8, too large, or a symbolic link loop.

    ## What it does
    Reports files that were found (or named on the command line) but could not be checked, with
    the reason and, for bad encodings, the position of the first bad byte.

    ## Why is this bad?
    A file that cannot be read is a file that was not checked; saying so beats silence.

    ## Example
    ```text
    a Dockerfile saved as UTF-16, or a directory symlink that points to its own parent
    ```

    Use instead:
    ```text
    a UTF-8 Dockerfile
    ```
    """

    code = "TC003"
    name = "unreadable-file"
    severity = "error"
    kind = "any"

    def check(self, ctx) -> Iterator[Finding]:
        problem = ctx.unreadable
        if problem is not None and not problem.outside:  # TC006 reports those
            span = Span(problem.line, problem.column, problem.line, problem.column + 1)
            yield Finding(span, problem.reason, hint="lint text files saved as UTF-8, or exclude this path")
