from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules._fixes import drop_flag, make_fix
from twelvecheck.rules.base import StageRule

REDUNDANT = frozenset({"$TARGETPLATFORM", "${TARGETPLATFORM}"})


class RedundantTargetPlatform(StageRule):
    """`FROM --platform=$TARGETPLATFORM`, which is the default anyway.

    ## What it does
    Flags a `FROM` whose `--platform` is exactly `$TARGETPLATFORM`.

    ## Why is this bad?
    Every stage is built for the target platform unless told otherwise; the flag adds noise
    and suggests a cross-build that is not there (`$BUILDPLATFORM` is usually what was meant).

    ## Example
    ```dockerfile
    FROM --platform=$TARGETPLATFORM alpine:3.20
    ```

    Use instead:
    ```dockerfile
    FROM alpine:3.20
    ```

    ## Fix safety
    Safe: the flag names the platform the stage is built for anyway.

    ## References
    - [hadolint DL3065](https://github.com/hadolint/hadolint/wiki/DL3065)
    - [BuildKit RedundantTargetPlatform](https://docs.docker.com/reference/build-checks/redundant-target-platform/)
    """

    code = "DF041"
    name = "redundant-target-platform"
    severity = "style"
    aliases = {"hadolint": ("DL3065",), "buildkit": ("RedundantTargetPlatform",)}
    fixable = True

    def check_stage(self, ctx, stage) -> Iterator[Finding]:
        if (stage.platform or "").strip("\"'") in REDUNDANT:
            yield Finding(stage.from_instruction.span, f"--platform={stage.platform} repeats the default platform",
                          hint="drop the --platform flag", fix=make_fix("drop --platform", drop_flag(stage.from_instruction, "platform", ctx.dockerfile.text, ctx.dockerfile.escape)))

