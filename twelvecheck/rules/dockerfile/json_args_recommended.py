from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules._verify import config_evidence, config_source, confirmed, refuted
from twelvecheck.rules.base import InstructionRule


class ShellFormCommand(InstructionRule):
    """`CMD` or `ENTRYPOINT` in shell form.

    ## What it does
    Flags `CMD app --flag` and `ENTRYPOINT app` written without a JSON array. BuildKit's own
    check accepts the shell form when the stage sets an explicit `SHELL`; so does this rule.

    ## Why is this bad?
    The shell form runs the command as a child of `/bin/sh -c`, which does not pass signals on:
    `docker stop` sends SIGTERM to the shell, the app never sees it, and it is killed after the
    grace period (factor IX: disposability, fast start and graceful shutdown).

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    CMD python -m app
    ```

    Use instead:
    ```dockerfile
    FROM python:3.12-slim
    CMD ["python", "-m", "app"]
    ```

    ## References
    - [hadolint DL3025](https://github.com/hadolint/hadolint/wiki/DL3025)
    - [BuildKit JSONArgsRecommended](https://docs.docker.com/reference/build-checks/json-args-recommended/)
    """

    code = "DF004"
    name = "shell-form-command"
    severity = "warning"
    factors = ("IX",)
    aliases = {"hadolint": ("DL3025",), "buildkit": ("JSONArgsRecommended",)}
    keywords = frozenset({"CMD", "ENTRYPOINT"})

    def check_instruction(self, ctx, instruction) -> Iterator[Finding]:
        if instruction.json or not instruction.text:
            return
        stage = ctx.stage_of(instruction)
        if stage is not None and any(i.keyword == "SHELL" for i in stage.instructions):
            return
        yield Finding(
            instruction.span,
            f"{instruction.keyword} uses the shell form, so /bin/sh is PID 1 and signals never reach the process",
            hint=f'use the exec form: {instruction.keyword} ["executable", "arg", …]',
        )

    def verify(self, finding: Finding, image):
        """Only the command the final config runs matters: one a later instruction replaced is moot."""
        step = image.step_at(finding.span.line)
        keyword = step.created_by.split(None, 1)[0].upper() if step and step.created_by else ""
        name = "entrypoint" if keyword == "ENTRYPOINT" else "cmd"
        value = getattr(image.config.config, name)
        label = "Entrypoint" if name == "entrypoint" else "Cmd"
        line, base = config_source(image, name)
        proof = config_evidence(image, f"the image config's {label} is {list(value) if value else None}, set at "
                                       f"line {line}", label, list(value) if value else None, line, base)
        return confirmed(proof) if line == finding.span.line else refuted(proof)
