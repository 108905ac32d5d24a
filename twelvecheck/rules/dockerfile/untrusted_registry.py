from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import StageRule
from twelvecheck.rules.dockerfile._image import parse_image

DOCKER_HUB = frozenset({"docker.io", "index.docker.io", "registry-1.docker.io", "hub.docker.com"})


class UntrustedRegistry(StageRule):
    """A base image from a registry outside the configured trusted list.

    ## What it does
    Active only when `trusted_registries` is configured (or `trustedRegistries` in
    `.hadolint.yaml`). Flags a `FROM` whose image, after ARG defaults are substituted, comes
    from another registry. Images without a registry come from Docker Hub (`docker.io`);
    `scratch`, earlier stages and references with unknown variables are not judged.

    ## Why is this bad?
    Organisations mirror and scan the images they allow; a base from elsewhere skips that
    (factor II: dependencies come from a known, declared source).

    ## Example
    ```dockerfile
    FROM quay.io/someone/python:3.12
    ```

    Use instead:
    ```dockerfile
    FROM registry.example.com/base/python:3.12
    ```

    ## Options
    - `trusted_registries` (list of registry hosts, default empty = rule inactive). The examples
      assume `trusted_registries: [registry.example.com]`.

    ## References
    - [hadolint DL3026](https://github.com/hadolint/hadolint/wiki/DL3026)
    """

    code = "DF016"
    name = "untrusted-registry"
    severity = "warning"
    factors = ("II",)
    aliases = {"hadolint": ("DL3026",)}
    options = {"trusted_registries": ()}
    example_config = {"trusted_registries": ("registry.example.com",)}

    def check_stage(self, ctx, stage) -> Iterator[Finding]:
        trusted = {registry.lower() for registry in self.config["trusted_registries"]}
        if not trusted or ctx.is_stage_reference(stage) or ctx.base_has_unknowns(stage):
            return
        reference = ctx.resolved_base(stage)
        if reference.lower() == "scratch":
            return
        registry = (parse_image(reference).registry or "docker.io").lower()
        if registry in trusted or (registry in DOCKER_HUB and trusted & DOCKER_HUB):
            return
        yield Finding(stage.from_instruction.span, f"base image '{reference}' comes from {registry}, which is not a trusted registry",
                      hint=f"use an image from {', '.join(sorted(trusted))}")
