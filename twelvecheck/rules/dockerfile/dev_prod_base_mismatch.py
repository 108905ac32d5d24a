from __future__ import annotations

import os
import re
from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import DockerfileRule
from twelvecheck.rules.dockerfile._image import parse_image
from twelvecheck.lazy_re import lazy_compile

VARIANT = lazy_compile(r"^(Dockerfile|Containerfile)[._-](dev|devel|development|local)$|^(dev|development)\.(Dockerfile|Containerfile)$", re.IGNORECASE)


def major(tag: str | None) -> str | None:
    match = re.match(r"v?(\d+)", tag or "")
    return match.group(1) if match else None


class DevProdBaseMismatch(DockerfileRule):
    """`Dockerfile.dev` builds on a different base image (or major version) than `Dockerfile`.

    ## What it does
    For a development Dockerfile (`Dockerfile.dev`, `Dockerfile.local`, `dev.Dockerfile`),
    compares the base of its final stage with the final base of the production `Dockerfile` in
    the same directory and flags a different image or a different major version.

    ## Why is this bad?
    Factor X (dev/prod parity): developers test on Node 20 and production runs Node 18, or on
    Debian and production on Alpine (musl): bugs appear only after deploy.

    ## Example
    ```files
    -- Dockerfile --
    FROM node:18-alpine
    -- Dockerfile.dev --
    FROM node:20
    ```

    Use instead:
    ```files
    -- Dockerfile --
    FROM node:20.18-alpine
    -- Dockerfile.dev --
    FROM node:20.18-alpine
    ```
    """

    code = "DF216"
    name = "dev-prod-base-mismatch"
    severity = "warning"
    factors = ("X",)

    def check(self, ctx) -> Iterator[Finding]:
        if not ctx.directory or not VARIANT.match(os.path.basename(ctx.path)) or not ctx.dockerfile.stages:
            return
        production = _production_base(ctx.directory)
        stage = ctx.dockerfile.stages[-1]
        if production is None or ctx.is_stage_reference(stage) or ctx.base_has_unknowns(stage):
            return
        mine, theirs = parse_image(ctx.resolved_base(stage)), parse_image(production)
        if mine.repository != theirs.repository:
            difference = f"'{mine.repository}' instead of '{theirs.repository}'"
        elif major(mine.tag) and major(theirs.tag) and major(mine.tag) != major(theirs.tag):
            difference = f"major version {major(mine.tag)} instead of {major(theirs.tag)}"
        else:
            return
        yield Finding(stage.from_instruction.span, f"the development image builds on {difference} (production Dockerfile: {production})",
                      hint="use the same base image and version as production")


def _production_base(directory: str) -> str | None:
    from twelvecheck.files import read_text, real_root
    from twelvecheck.parse.dockerfile import parse
    from twelvecheck.rules.context import DockerfileContext

    path = os.path.join(directory, "Dockerfile")
    text = read_text(path, root=real_root(directory)) if os.path.isfile(path) else None
    if not isinstance(text, str):
        return None
    ctx = DockerfileContext(path, parse(text, path))
    stages = ctx.dockerfile.stages
    if not stages or ctx.is_stage_reference(stages[-1]) or ctx.base_has_unknowns(stages[-1]):
        return None
    return ctx.resolved_base(stages[-1])
