from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import InstructionRule
from twelvecheck.rules.dockerfile._operands import sources_and_destination


class CopyWholeFilesystem(InstructionRule):
    """`COPY --from=… / …`: the whole filesystem of another stage or image.

    ## What it does
    Flags `COPY --from=<stage or image>` whose source is the root directory `/`.

    ## Why is this bad?
    Everything in the other image comes along: its package database, caches, shells and setuid
    binaries, overwriting the files of this stage. Copy the artefacts you built (`/out/app`),
    not the system they were built on.

    ## Example
    ```dockerfile
    FROM golang:1.23 AS build
    RUN go build -o /out/app ./...
    FROM alpine:3.20
    COPY --from=build / /
    ```

    Use instead:
    ```dockerfile
    FROM golang:1.23 AS build
    RUN go build -o /out/app ./...
    FROM alpine:3.20
    COPY --from=build /out/app /usr/local/bin/app
    ```

    ## References
    - [hadolint DL3067](https://github.com/hadolint/hadolint/wiki/DL3067)
    """

    code = "DF047"
    name = "copy-whole-filesystem"
    severity = "warning"
    aliases = {"hadolint": ("DL3067",)}
    keywords = frozenset({"COPY"})

    def check_instruction(self, ctx, instruction) -> Iterator[Finding]:
        origin = instruction.flag("from")
        if origin is None:
            return
        sources, _ = sources_and_destination(ctx, instruction)
        for source in sources:
            if not source.unknown and source.value.replace("\\", "/").strip("/.") == "" and source.value.startswith(("/", "\\")):
                yield Finding(source.span, f"COPY --from={origin.value} / copies the whole filesystem of '{origin.value}'",
                              hint="copy only the files this image needs from it")
