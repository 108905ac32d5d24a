from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.shell._base import ShellRule


class SudoInRun(ShellRule):
    """`sudo` in a RUN instruction.

    ## What it does
    Flags any `sudo` command in RUN, wherever it sits (after `&&`, in a subshell, inside
    `sh -c`).

    ## Why is this bad?
    Build steps already run as the stage's `USER`; `sudo` needs a TTY and a sudoers setup, and
    leaves sudo in the image for an attacker. Switch users with `USER root` / `USER app`.

    ## Example
    ```dockerfile
    FROM debian:12-slim
    USER app
    RUN sudo apt-get update
    ```

    Use instead:
    ```dockerfile
    FROM debian:12-slim
    USER root
    RUN apt-get update
    USER app
    ```

    ## References
    - [hadolint DL3004](https://github.com/hadolint/hadolint/wiki/DL3004)
    """

    code = "SH005"
    name = "sudo-in-run"
    severity = "error"
    aliases = {"hadolint": ("DL3004",)}
    commands = frozenset({"sudo"})

    def check_command(self, ctx, run, command) -> Iterator[Finding]:
        yield Finding(run.command_span(command), "sudo in a build step: the step already runs as the stage's USER",
                      hint="use USER root before the step and USER <app> after it")
