from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import StageRule
from twelvecheck.rules.dockerfile._image import parse_image


class UntaggedBaseImage(StageRule):
    """A base image with neither a tag nor a digest.

    ## What it does
    Flags `FROM image` without `:tag` or `@sha256:…`, after substituting the defaults of `ARG`s
    declared before the first `FROM` (so `FROM ${BASE}` with `ARG BASE=debian` is judged as
    `debian`). `scratch`, earlier build stages and images a compose file of the repository
    builds itself (`build:` with `image: app-base`, near the Dockerfile) are not pulled from a
    registry and are skipped.

    ## Why is this bad?
    Without a tag the build takes `latest`, which moves: two builds of the same commit give
    different images (factor II: explicitly declare dependencies; factor X: keep development and
    production alike).

    ## Example
    ```dockerfile
    FROM debian
    RUN echo hello
    ```

    Use instead:
    ```dockerfile
    FROM debian:12.6-slim
    RUN echo hello
    ```

    ## References
    - [hadolint DL3006](https://github.com/hadolint/hadolint/wiki/DL3006)
    """

    code = "DF001"
    name = "untagged-base-image"
    severity = "warning"
    factors = ("II", "X")
    aliases = {"hadolint": ("DL3006",), "checkov": ("CKV_DOCKER_7",)}

    def check_stage(self, ctx, stage) -> Iterator[Finding]:
        resolved = ctx.resolved_base(stage)
        if ctx.base_has_unknowns(stage) or resolved.lower() == "scratch" or ctx.is_stage_reference(stage):
            return
        image = parse_image(resolved)
        # an image this repository's compose file builds is not pulled from a registry
        if image.tag is None and image.digest is None and resolved not in _locally_built(ctx):
            yield Finding(
                stage.from_instruction.span,
                f"base image '{resolved}' has no tag or digest, so the build takes whatever 'latest' is today",
                hint=f"pin a version: FROM {resolved}:<version> (or @sha256:<digest>)",
            )


def _locally_built(ctx) -> set[str]:
    from pathlib import Path

    from twelvecheck.rules._nearby_compose import locally_built_images

    return locally_built_images(Path(ctx.directory), ctx.tree) if ctx.directory else set()
