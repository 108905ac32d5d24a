from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import StageRule
from twelvecheck.rules.dockerfile._image import parse_image


class LatestBaseImage(StageRule):
    """A base image pinned to the `latest` tag.

    ## What it does
    Flags `FROM image:latest` (after ARG defaults are substituted) unless a digest pins it too.

    ## Why is this bad?
    `latest` is a moving target: rebuilds silently pick up new major versions (factor II:
    explicitly declare dependencies; factor X: keep environments alike).

    ## Example
    ```dockerfile
    FROM node:latest
    ```

    Use instead:
    ```dockerfile
    FROM node:22.11-bookworm-slim
    ```

    ## References
    - [hadolint DL3007](https://github.com/hadolint/hadolint/wiki/DL3007)
    """

    code = "DF002"
    name = "latest-base-image"
    severity = "warning"
    factors = ("II", "X")
    aliases = {"hadolint": ("DL3007",)}

    def check_stage(self, ctx, stage) -> Iterator[Finding]:
        if ctx.is_stage_reference(stage) or ctx.base_has_unknowns(stage):
            return
        image = parse_image(ctx.resolved_base(stage))
        if image.tag == "latest" and image.digest is None:
            yield Finding(
                stage.from_instruction.span,
                f"base image '{image.repository}:latest' floats to whatever is newest",
                hint="pin a version tag (and ideally a digest)",
            )
