from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules._fixes import option_fix
from twelvecheck.rules.shell._base import ShellRule
from twelvecheck.rules.shell._private import PROMPTING_RPM


class YumInstallWithoutYes(ShellRule):
    """`yum install` (or another prompting yum command) without `-y`.

    ## What it does
    Flags `yum install`, `groupinstall`, `localinstall`, `reinstall`, `remove`, `update`,
    `upgrade` and `downgrade` that do not assume yes (`-y`, `--assumeyes`,
    `--setopt=assumeyes=1`).

    ## Why is this bad?
    A build has no terminal to answer the prompt: yum aborts and the build fails.

    ## Example
    ```dockerfile
    FROM centos:7
    RUN yum install httpd-2.4.6 && yum clean all
    ```

    Use instead:
    ```dockerfile
    FROM centos:7
    RUN yum install -y httpd-2.4.6 && yum clean all
    ```

    ## Fix safety
    Safe: the build could not answer the prompt, so a build that worked already assumed yes.

    ## References
    - [hadolint DL3030](https://github.com/hadolint/hadolint/wiki/DL3030)
    - binnacle rule `yumInstallForceYes` (Henkel et al., ICSE 2020)
    """

    code = "SH022"
    name = "yum-install-without-yes"
    severity = "warning"
    aliases = {"hadolint": ("DL3030",), "binnacle": ("yumInstallForceYes",)}
    commands = frozenset({"yum"})
    fixable = True

    def check_command(self, ctx, run, command) -> Iterator[Finding]:
        yum = run.invocation(command)
        if yum is not None and yum.subcommand in PROMPTING_RPM and not yum.assumes_yes:
            yield Finding(run.command_span(command), f"yum {yum.subcommand} will stop at a yes/no prompt the build cannot answer",
                          hint=f"add -y: yum {yum.subcommand} -y …", fix=option_fix(run, command, "-y"))
