from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules._verify import root_user_verdict
from twelvecheck.rules.base import DockerfileRule

# Images whose default user is not root (their own USER is inherited): tag or name markers.
# docker.elastic.co: Elasticsearch, Kibana, Logstash (uid 1000), the Beats and Elastic Agent
# (their own user); grafana/k6 runs as k6 (uid 12345).
NON_ROOT_BASES = ("nonroot", "rootless", "unprivileged", "cgr.dev/chainguard/", "bitnami/",
                  "docker.elastic.co/", "grafana/k6")
# Tools the official images use to drop root in the entrypoint (docker-entrypoint.sh).
STEP_DOWN_TOOLS = frozenset({"gosu", "su-exec", "setpriv", "setuidgid", "chpst", "s6-setuidgid"})


class NoUserInFinalStage(DockerfileRule):
    """The final stage never sets `USER`, so the container runs as root.

    ## What it does
    Follows the final stage back through the stages it is built `FROM` (a final stage
    `FROM build` inherits the `USER` of `build`) and reports when none of them has a `USER`
    instruction: the container then runs as the base image's default user, which is root for
    almost every image. `FROM scratch` with a static binary runs as uid 0 too, so it is
    reported as well (`USER 65532:65532` needs no `/etc/passwd`).

    Not reported: base images known to default to a non-root user (a `nonroot`, `rootless` or
    `unprivileged` tag or name, `cgr.dev/chainguard/*`, `bitnami/*`, Elastic's
    `docker.elastic.co/*`, `grafana/k6`); images that install or
    call `gosu`, `su-exec`, `setpriv`, `setuidgid`, `chpst` or `s6-setuidgid`, the tools with
    which an entrypoint script drops root at start (the official images' pattern); Windows
    stages, whose default users follow other rules. A `USER root` that stays last is
    `last-user-is-root` (DF003), not this rule.

    Severity is info, not warning: most base images (the official `node`, `python`, `golang`
    images among them) set no `USER` on purpose and leave it to the images built on them, and an
    entrypoint script may drop root in ways a linter cannot see; on our corpus of 452 files a
    warning would have fired on 355. An explicit `USER root` left last (DF003) stays a warning.
    The `strict` preset fails on info.

    ## Why is this bad?
    A process running as root inside the container is root on the host if it escapes, and can
    modify everything in the image at run time.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    COPY app.py /app/
    CMD ["python", "/app/app.py"]
    ```

    Use instead:
    ```dockerfile
    FROM python:3.12-slim
    RUN useradd --system --uid 10001 app
    COPY app.py /app/
    USER app
    CMD ["python", "/app/app.py"]
    ```

    ## References
    - [Dockerfile reference: USER](https://docs.docker.com/reference/dockerfile/#user)
    - [Checkov CKV_DOCKER_3](https://docs.prismacloud.io/en/enterprise-edition/policy-reference/docker-policies/docker-policy-index/ensure-that-a-user-for-the-container-has-been-created)
    """

    code = "DF100"
    name = "no-user-in-final-stage"
    severity = "info"
    aliases = {"checkov": ("CKV_DOCKER_3",)}

    def check(self, ctx) -> Iterator[Finding]:
        final = ctx.dockerfile.final_stage
        if final is None:
            return
        chain = [stage for stage in ctx.dockerfile.stages if stage.index in ctx.final_image_stages]
        if any(ctx.is_windows(stage) for stage in chain):
            return
        if any(instruction.keyword == "USER" for stage in chain for instruction in stage.instructions):
            return
        root = min(chain, key=lambda stage: stage.index)
        base = ctx.resolved_base(root).lower()
        if ctx.base_has_unknowns(root) or any(marker in base for marker in NON_ROOT_BASES):
            return
        if _steps_down(ctx, chain):
            return
        where = f"final stage '{final.written_name}'" if final.written_name else "the final stage"
        yield Finding(final.from_instruction.span,
                      f"{where} never sets USER, so the container runs as the default user of '{ctx.resolved_base(root)}' (root)",
                      hint="create an unprivileged user and add USER <name or uid> before CMD/ENTRYPOINT")

    def verify(self, finding: Finding, image):
        """A base image that sets a non-root User refutes it."""
        return root_user_verdict(image)


def _steps_down(ctx, chain) -> bool:
    """The image carries a privilege-dropping tool for its entrypoint."""
    indexes = {stage.index for stage in chain}
    for run in ctx.run_scripts:
        stage = ctx.stage_of(run.instruction)
        if stage is None or stage.index not in indexes:
            continue
        for command in run.commands:
            if command.name in STEP_DOWN_TOOLS:
                return True
            invocation = run.invocation(command)
            packages = getattr(invocation, "packages", None) or []
            if any(package.name in STEP_DOWN_TOOLS for package in packages):
                return True
            if any("gosu" in word.value or "su-exec" in word.value for word in command.argv[1:]):
                return True  # downloaded: 'curl -o /usr/local/bin/gosu …'
    entry = [i for stage in chain for i in stage.instructions if i.keyword in ("ENTRYPOINT", "CMD")]
    return any(tool in word for i in entry for word in i.args for tool in STEP_DOWN_TOOLS)
