from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.parse.expand import expand
from twelvecheck.rules.base import StageRule
from twelvecheck.rules.dockerfile._image import is_valid_reference
from twelvecheck.rules.dockerfile._variables import from_environment


class InvalidDefaultArgInFrom(StageRule):
    """A `FROM` that is not a valid image reference unless build arguments are passed.

    ## What it does
    Expands each `FROM` that uses variables the way a plain `docker build` (no `--build-arg`)
    would: global `ARG` defaults, an empty string for an `ARG` without one. Flags the result
    when it is empty or not a valid image reference (`busybox:` with an empty tag).

    ## Why is this bad?
    The Dockerfile does not build without extra arguments; a build should work with its
    defaults and let arguments override them. BuildKit reports this check as a warning (an
    error only under `# check=error=true`), and so does this rule.

    ## Example
    ```dockerfile
    ARG TAG
    FROM busybox:${TAG}
    ```

    Use instead:
    ```dockerfile
    ARG TAG=1.36
    FROM busybox:${TAG}
    ```

    ## References
    - [BuildKit InvalidDefaultArgInFrom](https://docs.docker.com/reference/build-checks/invalid-default-arg-in-from/)
    """

    code = "DF042"
    name = "invalid-default-arg-in-from"
    severity = "warning"  # as BuildKit reports it: a build check warning (the build itself may still run with --build-arg)
    aliases = {"buildkit": ("InvalidDefaultArgInFrom",)}

    def check_stage(self, ctx, stage) -> Iterator[Finding]:
        if "$" not in stage.base:
            return
        value = expand(stage.base, from_environment(ctx), ctx.dockerfile.escape).value
        if not is_valid_reference(value):
            shown = f"'{value}'" if value else "an empty name"
            yield Finding(stage.from_instruction.span, f"with the ARG defaults, FROM {stage.base} becomes {shown}, not a valid image",
                          hint="give the ARGs it uses a default that makes a valid image reference")
