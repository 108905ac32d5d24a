from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules._verify import config_verdict
from twelvecheck.rules.base import DockerfileRule


class MissingHealthcheck(DockerfileRule):
    """The image defines no `HEALTHCHECK`.

    ## What it does
    Off by default. Flags the final stage when neither it nor a stage it is built `FROM` has a
    `HEALTHCHECK`. Build stages are not judged: their health checks never reach the image.
    A base image from a registry may define one; this rule cannot see it.

    ## Why is this bad?
    Without a health check the runtime only knows whether the process exists, not whether it
    answers (factor IX: disposability, the platform replaces unhealthy instances).

    ## Example
    ```dockerfile
    FROM nginx:1.27
    COPY site/ /usr/share/nginx/html/
    ```

    Use instead:
    ```dockerfile
    FROM nginx:1.27
    COPY site/ /usr/share/nginx/html/
    HEALTHCHECK CMD ["curl", "-fsS", "http://localhost/"]
    ```

    ## References
    - [hadolint DL3057](https://github.com/hadolint/hadolint/wiki/DL3057)
    """

    code = "DF032"
    name = "missing-healthcheck"
    severity = "info"
    factors = ("IX",)
    aliases = {"hadolint": ("DL3057",)}
    enabled_by_default = False

    def check(self, ctx) -> Iterator[Finding]:
        final = ctx.dockerfile.final_stage
        if final is None:
            return
        for stage in ctx.dockerfile.stages:
            if stage.index in ctx.final_image_stages and any(i.keyword == "HEALTHCHECK" for i in stage.instructions):
                return
        yield Finding(final.from_instruction.span, "the image has no HEALTHCHECK",
                      hint='add HEALTHCHECK CMD ["…"] to the final stage (or HEALTHCHECK NONE to say it is deliberate)')

    def verify(self, finding: Finding, image):
        """A HEALTHCHECK the base image sets counts."""
        check = image.config.config.healthcheck
        value = list(check.test) if check else None
        return config_verdict(image, "healthcheck", check is None, value, "the image config has no Healthcheck",
                              f"the image config's Healthcheck is {value}")
