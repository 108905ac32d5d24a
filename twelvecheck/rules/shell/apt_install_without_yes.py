from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules._fixes import option_fix
from twelvecheck.rules.shell._base import ShellRule


class AptInstallWithoutYes(ShellRule):
    """`apt-get install` without `-y`.

    ## What it does
    Flags `apt-get install` (and `apt install`) that does not assume yes: `-y`, `--yes`,
    `--assume-yes`, `-qy` bundles and `-o APT::Get::Assume-Yes=true` all count.

    ## Why is this bad?
    A build has no terminal to answer the prompt: apt aborts and the build fails.

    ## Example
    ```dockerfile
    FROM debian:12-slim
    RUN apt-get update && apt-get install curl
    ```

    Use instead:
    ```dockerfile
    FROM debian:12-slim
    RUN apt-get update && apt-get install -y curl
    ```

    ## Fix safety
    Safe: the build could not answer the prompt, so a build that worked already assumed yes.

    ## References
    - [hadolint DL3014](https://github.com/hadolint/hadolint/wiki/DL3014)
    - binnacle rule `ruleAptGetInstallUseY` (Henkel et al., ICSE 2020)
    """

    code = "SH001"
    name = "apt-install-without-yes"
    severity = "warning"
    aliases = {"hadolint": ("DL3014",), "binnacle": ("ruleAptGetInstallUseY",)}
    commands = frozenset({"apt-get", "apt"})
    fixable = True

    def check_command(self, ctx, run, command) -> Iterator[Finding]:
        apt = run.invocation(command)
        if apt is not None and apt.is_install and not apt.assumes_yes:
            yield Finding(run.command_span(command), f"{command.name} install will stop at a yes/no prompt the build cannot answer",
                          hint=f"add -y: {command.name} install -y …",
                          fix=option_fix(run, command, "-y", frozenset({apt.subcommand})))
