from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules._fixes import option_fix
from twelvecheck.rules.shell._base import ShellRule
from twelvecheck.rules.shell._private import PROMPTING_RPM


class DnfInstallWithoutYes(ShellRule):
    """`dnf install` (or another prompting dnf command) without `-y`.

    ## What it does
    Flags `dnf install`, `groupinstall`, `reinstall`, `remove`, `update`, `upgrade` and
    `downgrade` that do not assume yes (`-y`, `--assumeyes`, `--setopt=assumeyes=1`).

    ## Why is this bad?
    A build has no terminal to answer the prompt: dnf aborts and the build fails.

    ## Example
    ```dockerfile
    FROM fedora:40
    RUN dnf install nginx-1.26.1 && dnf clean all
    ```

    Use instead:
    ```dockerfile
    FROM fedora:40
    RUN dnf install -y nginx-1.26.1 && dnf clean all
    ```

    ## Fix safety
    Safe: the build could not answer the prompt, so a build that worked already assumed yes.

    ## References
    - [hadolint DL3038](https://github.com/hadolint/hadolint/wiki/DL3038)
    """

    code = "SH023"
    name = "dnf-install-without-yes"
    severity = "warning"
    aliases = {"hadolint": ("DL3038",)}
    commands = frozenset({"dnf", "microdnf", "tdnf"})
    fixable = True

    def check_command(self, ctx, run, command) -> Iterator[Finding]:
        dnf = run.invocation(command)
        if dnf is not None and dnf.subcommand in PROMPTING_RPM and not dnf.assumes_yes:
            yield Finding(run.command_span(command), f"{command.name} {dnf.subcommand} will stop at a yes/no prompt the build cannot answer",
                          hint=f"add -y: dnf {dnf.subcommand} -y …", fix=option_fix(run, command, "-y"))
