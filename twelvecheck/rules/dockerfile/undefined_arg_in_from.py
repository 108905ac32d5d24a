from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.parse.expand import expand
from twelvecheck.rules.base import StageRule
from twelvecheck.rules.dockerfile._variables import from_environment, known_names, suggestion


class UndefinedArgInFrom(StageRule):
    """`FROM` uses a variable that no global `ARG` declares.

    ## What it does
    Flags a variable in a `FROM` image or `--platform` value that is neither declared by an
    `ARG` before the first `FROM` nor one of BuildKit's predefined platform ARGs, and
    suggests the declared name it most resembles. `${VAR:-default}` forms are fine.

    ## Why is this bad?
    An undeclared variable expands to an empty string, so the base image silently changes
    (`node:22${VARIANT}` becomes `node:22`), or a misspelt `$BUILDPLATFROM` is ignored.

    ## Example
    ```dockerfile
    FROM node:22${VARIANT} AS web
    ```

    Use instead:
    ```dockerfile
    ARG VARIANT=-alpine3.20
    FROM node:22${VARIANT} AS web
    ```

    ## References
    - [BuildKit UndefinedArgInFrom](https://docs.docker.com/reference/build-checks/undefined-arg-in-from/)
    """

    code = "DF038"
    name = "undefined-arg-in-from"
    severity = "warning"
    aliases = {"buildkit": ("UndefinedArgInFrom",)}

    def check_stage(self, ctx, stage) -> Iterator[Finding]:
        environment = from_environment(ctx)
        missing: set[str] = set()
        for text in (stage.base, stage.platform or ""):
            missing |= expand(text, environment, ctx.dockerfile.escape).missing
        for name in sorted(missing - known_names(ctx)):
            close = suggestion(name, known_names(ctx))
            yield Finding(stage.from_instruction.span,
                          f"FROM uses ${name}, which no ARG before the first FROM declares" + (f" (did you mean ${close}?)" if close else ""),
                          hint=f"declare ARG {name}=<default> before the first FROM")
