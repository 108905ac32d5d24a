from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules._fixes import drop_flag, make_fix
from twelvecheck.rules.base import StageRule


class ConstantFromPlatform(StageRule):
    """`FROM --platform` with a constant value.

    ## What it does
    Flags `FROM --platform=linux/amd64 …`. A variable (`$BUILDPLATFORM`, `$TARGETPLATFORM`)
    is fine, and so is a constant platform on a stage whose name mentions that OS or
    architecture (`AS build_arm64`): such stages are meant to be platform-specific.

    ## Why is this bad?
    A fixed platform pins the stage to one architecture: the Dockerfile can no longer build a
    multi-platform image, and on other machines it runs under emulation.

    ## Example
    ```dockerfile
    FROM --platform=linux/amd64 alpine:3.20 AS base
    ```

    Use instead:
    ```dockerfile
    FROM --platform=$BUILDPLATFORM alpine:3.20 AS base
    ```

    ## Fix safety
    Unsafe: without the flag the stage is built for the platform the build asks for, which may
    not be the one the file pinned (an amd64-only binary, a base image without other platforms).

    ## References
    - [hadolint DL3029](https://github.com/hadolint/hadolint/wiki/DL3029)
    - [BuildKit FromPlatformFlagConstDisallowed](https://docs.docker.com/reference/build-checks/from-platform-flag-const-disallowed/)
    """

    code = "DF017"
    name = "constant-from-platform"
    severity = "warning"
    aliases = {"hadolint": ("DL3029",), "buildkit": ("FromPlatformFlagConstDisallowed",)}
    fixable = True
    fix_safety = "unsafe"

    def check_stage(self, ctx, stage) -> Iterator[Finding]:
        platform = stage.platform
        if not platform or "$" in platform:
            return
        value = ctx.expand(platform, stage.from_instruction)
        parts = [part for part in value.lower().split("/") if part]
        name = (stage.name or "").lower()
        if name and any(part in name for part in parts[:3] if part != "linux" or len(parts) == 1):
            return
        yield Finding(stage.from_instruction.span, f"FROM --platform={value} pins this stage to one platform",
                      hint="drop --platform (choose it with docker build --platform) or use $BUILDPLATFORM",
                      fix=make_fix("drop --platform", drop_flag(stage.from_instruction, "platform", ctx.dockerfile.text,
                                                                ctx.dockerfile.escape), safe=False))
