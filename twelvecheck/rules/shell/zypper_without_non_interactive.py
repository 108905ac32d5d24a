from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules._fixes import option_fix
from twelvecheck.rules.shell._base import ShellRule


class ZypperWithoutNonInteractive(ShellRule):
    """`zypper install` (or another prompting zypper command) without `-n` or `-y`.

    ## What it does
    Flags `zypper install`, `remove`, `source-install`, `patch`, `update` and `dist-upgrade`
    run without the global `-n`/`--non-interactive` or the command's `-y`/`--no-confirm`.

    ## Why is this bad?
    A build has no terminal to answer the prompt: zypper aborts and the build fails.

    ## Example
    ```dockerfile
    FROM opensuse/leap:15.6
    RUN zypper install nginx=1.21.5 && zypper clean
    ```

    Use instead:
    ```dockerfile
    FROM opensuse/leap:15.6
    RUN zypper --non-interactive install nginx=1.21.5 && zypper clean
    ```

    ## Fix safety
    Safe: `-n` (a global option, so it goes before the subcommand) answers the prompts with
    their defaults, which a build without a terminal could not answer at all.

    ## References
    - [hadolint DL3034](https://github.com/hadolint/hadolint/wiki/DL3034)
    """

    code = "SH024"
    name = "zypper-without-non-interactive"
    severity = "warning"
    aliases = {"hadolint": ("DL3034",)}
    commands = frozenset({"zypper"})
    fixable = True
    prompting = frozenset({"install", "remove", "source-install", "si", "patch", "update",
                           "dist-upgrade"})

    def check_command(self, ctx, run, command) -> Iterator[Finding]:
        zypper = run.invocation(command)
        if zypper is not None and zypper.subcommand in self.prompting and not zypper.assumes_yes:
            yield Finding(run.command_span(command), f"zypper {zypper.subcommand} will stop at a prompt the build cannot answer",
                          hint=f"add -n: zypper -n {zypper.subcommand} …", fix=option_fix(run, command, "-n"))
