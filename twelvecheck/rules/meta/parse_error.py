from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import Rule


class ParseError(Rule):
    """A file that does not parse.

    ## What it does
    Reports each part of a file the parser refuses: an unterminated heredoc, an unknown
    instruction, `ENV KEY` without a value, an instruction missing the arguments BuildKit
    requires (a bare `FROM`, `USER` or `EXPOSE`, `COPY` with no destination, `ARG =x`), an exec
    form that is not an array of strings; in compose files, invalid YAML and what the compose
    specification's schema refuses; in `.dockerignore` files, a pattern docker cannot read (`[z-a]`).
    The rest of the file is still checked.

    ## Why is this bad?
    The build fails on it, so nothing else about the image matters until it is fixed.

    ## Example
    ```dockerfile
    FROM alpine:3.20
    RUN <<EOF
    echo never closed
    ```

    Use instead:
    ```dockerfile
    FROM alpine:3.20
    RUN <<EOF
    echo closed
    EOF
    ```

    ## References
    - [Dockerfile reference](https://docs.docker.com/reference/dockerfile/)
    """

    code = "TC001"
    name = "parse-error"
    severity = "error"
    kind = "any"
    aliases = {"hadolint": ("DL1000",)}

    def check(self, ctx) -> Iterator[Finding]:
        for error in ctx.parse_errors:
            yield Finding(error.span, error.message, hint="fix the syntax so the file can be used",
                          file=getattr(error, "file", ""))
