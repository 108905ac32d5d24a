from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import Rule
from twelvecheck.rules.compose._private import image_of


class BuildImageWithoutReleaseTag(Rule):
    """A service that builds and names its image without a release tag.

    ## What it does
    Flags services with both `build:` and `image:` whose image name has no tag, or `latest`.

    ## Why is this bad?
    Factor V (build, release, run): each release should be an immutable, identifiable artefact.
    Every build overwrites `app:latest`, so no deploy can say which build it runs or roll back.

    ## Example
    ```yaml
    services:
      app:
        build: .
        image: registry.example.com/shop/app
    ```

    Use instead:
    ```yaml
    services:
      app:
        build: .
        image: registry.example.com/shop/app:${RELEASE:?set RELEASE}
    ```
    """

    code = "DC010"
    name = "build-image-without-release-tag"
    severity = "info"
    factors = ("V",)
    kind = "compose"

    def check(self, ctx) -> Iterator[Finding]:
        for service in ctx.services.values():
            image = image_of(service)
            if service.build is not None and image is not None and not image.digest and image.tag in (None, "latest"):
                yield ctx.finding(service.image, f"service '{service.name}' builds '{image.repository}' without a release tag",
                                  hint="tag the built image with a release identifier (version or commit)")
