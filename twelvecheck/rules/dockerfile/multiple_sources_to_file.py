from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import InstructionRule
from twelvecheck.rules.dockerfile._operands import sources_and_destination


class MultipleSourcesToFile(InstructionRule):
    """`COPY` or `ADD` of several sources to a destination that does not end with `/`.

    ## What it does
    Flags a `COPY`/`ADD` with more than one source (heredocs included) whose destination,
    after variable expansion, does not end with `/`.

    ## Why is this bad?
    With several sources the destination must be a directory; BuildKit refuses the
    instruction unless the path ends with `/`.

    ## Example
    ```dockerfile
    FROM node:22-slim
    COPY package.json package-lock.json /app
    ```

    Use instead:
    ```dockerfile
    FROM node:22-slim
    COPY package.json package-lock.json /app/
    ```

    ## References
    - [hadolint DL3021](https://github.com/hadolint/hadolint/wiki/DL3021)
    """

    code = "DF013"
    name = "multiple-sources-to-file"
    severity = "error"
    aliases = {"hadolint": ("DL3021",)}
    keywords = frozenset({"COPY", "ADD"})

    def check_instruction(self, ctx, instruction) -> Iterator[Finding]:
        sources, destination = sources_and_destination(ctx, instruction)
        if len(sources) < 2 or destination is None or destination.unknown:
            return
        if destination.value.endswith(("/", "\\")):
            return
        yield Finding(destination.span,
                      f"{instruction.keyword} of {len(sources)} sources to '{destination.value}', which does not end with /",
                      hint=f"end the destination with a slash: {destination.value}/")
