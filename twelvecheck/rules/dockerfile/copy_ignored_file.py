from __future__ import annotations

import os
from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import InstructionRule
from twelvecheck.rules.dockerfile._operands import sources_and_destination

_GLOB = frozenset("*?[")


class CopyIgnoredFile(InstructionRule):
    """`COPY`/`ADD` of a path that `.dockerignore` leaves out of the build context.

    ## What it does
    Reads the ignore file of the build context (the Dockerfile's directory: `<Dockerfile>.dockerignore`
    or `.dockerignore`) and flags each `COPY`/`ADD` source from the context that it excludes.
    Sources from another stage (`--from`), URLs, heredocs, globs and paths with unknown
    variables are not judged.

    ## Why is this bad?
    The excluded file never reaches the builder: the instruction fails with "not found", or a
    directory arrives without the excluded part.

    ## Example
    ```files
    -- .dockerignore --
    dist
    node_modules
    -- Dockerfile --
    FROM node:22-slim
    WORKDIR /app
    COPY dist/ ./dist/
    ```

    Use instead:
    ```files
    -- .dockerignore --
    dist
    node_modules
    -- Dockerfile --
    FROM node:22-slim
    WORKDIR /app
    COPY src/ ./src/
    ```

    ## References
    - [BuildKit CopyIgnoredFile](https://docs.docker.com/reference/build-checks/copy-ignored-file/)
    """

    code = "DF043"
    name = "copy-ignored-file"
    severity = "warning"
    aliases = {"buildkit": ("CopyIgnoredFile",)}
    keywords = frozenset({"COPY", "ADD"})

    def check_instruction(self, ctx, instruction) -> Iterator[Finding]:
        if instruction.flag("from") is not None or not ctx.source:
            return
        matcher = ctx.context_dockerignore
        if matcher is None or not matcher.patterns:
            return
        sources, _ = sources_and_destination(ctx, instruction)
        for source in sources:
            if source.unknown or source.heredoc or source.is_url or source.is_git or _GLOB & set(source.value):
                continue
            path = os.path.normpath(source.value.replace("\\", "/")).lstrip("/")
            if path in ("", ".") or path.startswith(".."):
                continue
            if matcher.excludes(path):
                yield Finding(source.span, f"{instruction.keyword} of '{source.value}', which .dockerignore excludes from the build context",
                              hint="remove the pattern from .dockerignore (or add a !pattern), or do not copy it")
