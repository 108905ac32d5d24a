from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import Rule
from twelvecheck.rules.compose._private import image_of


class FloatingImageTag(Rule):
    """A service image without a tag, or tagged `latest`.

    ## What it does
    Flags `image:` references of services that do not build, when they have no tag or the tag
    `latest` and no digest.

    ## Why is this bad?
    Factor II (dependencies) and X (dev/prod parity): a floating tag resolves to whatever is
    newest at pull time, so two machines (or two deploys) run different backing services.

    ## Example
    ```yaml
    services:
      db:
        image: postgres
    ```

    Use instead:
    ```yaml
    services:
      db:
        image: postgres:16.4
    ```

    ## References
    - [hadolint DL3007 (the Dockerfile equivalent)](https://github.com/hadolint/hadolint/wiki/DL3007)
    """

    code = "DC009"
    name = "floating-image-tag"
    severity = "warning"
    factors = ("II", "X")
    kind = "compose"

    def check(self, ctx) -> Iterator[Finding]:
        for service in ctx.services.values():
            image = image_of(service)
            if service.build is not None or image is None or image.digest:
                continue
            if image.tag in (None, "latest"):
                shown = "no tag" if image.tag is None else "the tag 'latest'"
                yield ctx.finding(service.image, f"image of service '{service.name}' has {shown}: it floats",
                                  hint="pin a version tag (and ideally a digest)")
