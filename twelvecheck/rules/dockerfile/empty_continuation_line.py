from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Edit, Finding
from twelvecheck.rules._fixes import make_fix
from twelvecheck.parse.model import Span
from twelvecheck.rules.base import DockerfileRule


class EmptyContinuationLine(DockerfileRule):
    r"""An empty line inside a continued (`\`) instruction.

    ## What it does
    Flags a blank line in the middle of an instruction continued with the escape character.

    ## Why is this bad?
    BuildKit still joins the lines but warns that empty continuation lines will become an
    error; readers (and other parsers) take the blank line for the end of the instruction.

    ## Example
    ```dockerfile
    FROM debian:12-slim
    RUN apt-get update && \

        apt-get install -y --no-install-recommends curl
    ```

    Use instead:
    ```dockerfile
    FROM debian:12-slim
    RUN apt-get update && \
        apt-get install -y --no-install-recommends curl
    ```

    ## Fix safety
    Safe: BuildKit skips the empty line; deleting it changes nothing in the instruction.

    ## References
    - [BuildKit NoEmptyContinuation](https://docs.docker.com/reference/build-checks/no-empty-continuation/)
    """

    code = "DF035"
    name = "empty-continuation-line"
    severity = "warning"
    aliases = {"buildkit": ("NoEmptyContinuation",)}
    fixable = True

    def check(self, ctx) -> Iterator[Finding]:
        lines = ctx.dockerfile.text.splitlines()
        for span in ctx.dockerfile.empty_continuations:
            blank = [number for number in range(span.line, min(span.end_line, len(lines)) + 1)
                     if not lines[number - 1].strip()]
            for number in blank or [span.line]:
                fix = make_fix("delete the blank line", Edit(Span(number, 1, number + 1, 1), "")) if blank else None
                yield Finding(Span.point(number), "empty line inside a continued instruction",
                              hint="delete the blank line (or make it a comment)", fix=fix)
