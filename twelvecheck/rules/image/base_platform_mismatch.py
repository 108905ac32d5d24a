from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules._verify import config_evidence, span_at
from twelvecheck.rules.image._base import ImageRule


def platform_text(platform) -> str:
    text = f"{platform.os}/{platform.architecture}"
    return f"{text}/{platform.variant}" if platform.variant else text


class BaseImagePlatformMismatch(ImageRule):
    """The base image is for another platform than the build's.

    ## What it does
    Compares the platform the base image declares (its config's `os` and `architecture`) with
    the platform the build runs for, and flags a difference. BuildKit reports the same as its
    `InvalidBaseImagePlatform` check, which needs the image to judge, so a Dockerfile linter
    cannot; verify has the image. Images read with `--image` (built elsewhere) are not judged:
    the platform their build ran for is unknown.

    ## Why is this bad?
    The image's programs cannot run on the platform it is built for: the build's RUN steps fail
    with `exec format error`, or they run slowly under emulation and the image fails at start on
    the real hosts.

    ## Example
    ```dockerfile
    FROM --platform=linux/s390x debian:12
    ```

    Use instead:
    ```dockerfile
    FROM debian:12
    ```

    ## References
    - [BuildKit InvalidBaseImagePlatform](https://docs.docker.com/reference/build-checks/invalid-base-image-platform/)
    """

    code = "IM008"
    name = "base-image-platform-mismatch"
    severity = "warning"
    aliases = {"buildkit": ("InvalidBaseImagePlatform",)}

    def check(self, image) -> Iterator[Finding]:
        wanted = image.build_platform
        have = image.config.platform
        if wanted is None or not image.layers or (have.os, have.architecture) == (wanted.os, wanted.architecture):
            return
        proof = config_evidence(image, f"the base image is {platform_text(have)}; the build is for "
                                       f"{platform_text(wanted)}", "architecture", have.architecture)
        yield Finding(span_at(image, None), f"the base image is for {platform_text(have)}, not {platform_text(wanted)}",
                      hint=f"use a base image with a {platform_text(wanted)} variant", evidence=(proof,))
