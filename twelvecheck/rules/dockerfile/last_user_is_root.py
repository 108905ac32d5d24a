from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules._verify import root_user_verdict
from twelvecheck.rules.base import DockerfileRule

ROOT_USERS = frozenset({"root", "0"})


def user_name(text: str) -> str:
    """The user part of ``USER user[:group]``."""
    return text.strip().split(":", 1)[0]


class LastUserIsRoot(DockerfileRule):
    """The final stage's last `USER` is root.

    ## What it does
    Looks at the final stage only (the stage that becomes the image): if its last `USER`
    instruction switches to `root` or uid `0`, the container runs as root. A `USER root` in a
    build stage, or one followed by a later `USER app`, is fine.

    ## Why is this bad?
    A process running as root inside the container is root on the host if it escapes, and can
    modify everything in the image at run time.

    ## Example
    ```dockerfile
    FROM debian:12-slim
    RUN useradd --system app
    USER app
    RUN echo built
    USER root
    ```

    Use instead:
    ```dockerfile
    FROM debian:12-slim
    USER root
    RUN useradd --system app
    USER app
    ```

    ## References
    - [hadolint DL3002](https://github.com/hadolint/hadolint/wiki/DL3002)
    """

    code = "DF003"
    name = "last-user-is-root"
    severity = "warning"
    security_severity = 6.0  # a container escape from a root process is root on the host
    aliases = {"hadolint": ("DL3002",), "checkov": ("CKV_DOCKER_8",), "trivy": ("DS-0002",)}

    def check(self, ctx) -> Iterator[Finding]:
        stage = ctx.dockerfile.final_stage
        if stage is None:
            return
        users = [i for i in stage.instructions if i.keyword == "USER"]
        if not users:
            return
        last = users[-1]
        value = ctx.words(last.text)[0] if last.text else ""
        resolved = user_name(ctx.expand(value, last))
        if resolved in ROOT_USERS:
            where = f"final stage '{stage.written_name}'" if stage.written_name else "the final stage"
            yield Finding(last.span, f"USER {resolved} is the last USER of {where}, so the container runs as root",
                          hint="switch to an unprivileged user (USER app) after the steps that need root")

    def verify(self, finding: Finding, image):
        return root_user_verdict(image)
