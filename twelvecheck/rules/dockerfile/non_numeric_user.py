from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules._verify import config_verdict, resolve_user
from twelvecheck.rules.base import InstructionRule
from twelvecheck.rules.dockerfile.last_user_is_root import user_name


class NonNumericUser(InstructionRule):
    """`USER` given by name instead of a numeric user id.

    ## What it does
    Flags `USER app` (and `USER app:app`) whose user, after variable expansion, is a name rather
    than a number. Windows stages are skipped (their users are names). A user whose value is
    unknown (an ARG without a default) is not judged.

    ## Why is this bad?
    The name is resolved inside the image, but orchestrators check it from outside: Kubernetes'
    `runAsNonRoot` cannot prove that `app` is not root and refuses to start the pod, and volume
    ownership on the host is decided by numbers. `USER 10001:10001` says exactly who runs.
    Named users are common and often fine outside Kubernetes, so the rule is off by default
    (hadolint has DL3066 on); the `strict` preset turns it on.

    ## Example
    ```dockerfile
    FROM debian:12-slim
    RUN useradd --system --uid 10001 app
    USER app
    ```

    Use instead:
    ```dockerfile
    FROM debian:12-slim
    RUN useradd --system --uid 10001 app
    USER 10001
    ```

    ## References
    - [hadolint DL3066](https://github.com/hadolint/hadolint/wiki/DL3066)
    - [Kubernetes: runAsNonRoot](https://kubernetes.io/docs/tasks/configure-pod-container/security-context/)
    """

    code = "DF046"
    name = "non-numeric-user"
    severity = "info"
    enabled_by_default = False  # common and often fine: the strict preset turns it on
    aliases = {"hadolint": ("DL3066",)}
    keywords = frozenset({"USER"})

    def check_instruction(self, ctx, instruction) -> Iterator[Finding]:
        stage = ctx.stage_of(instruction)
        if not instruction.text or stage is not None and ctx.is_windows(stage):
            return
        expansion = ctx.expansion(ctx.words(instruction.text)[0], instruction)
        user = user_name(expansion.value)
        if expansion.missing or not user or user.isdigit():
            return
        yield Finding(instruction.span, f"USER {user} is a name; the host and orchestrators see only numeric ids",
                      hint="give the numeric uid (and gid), e.g. USER 10001:10001")

    def verify(self, finding: Finding, image):
        """The final config's User: still a name (and which uid the image's /etc/passwd gives it)?"""
        user = image.config.config.user
        name = user.split(":", 1)[0]
        _, how = resolve_user(image, user)
        return config_verdict(image, "user", bool(name) and not name.isdigit(), user,
                              f"the image config's User is {user}: {how}", f"the image config's User is {user or '(empty)'}")
