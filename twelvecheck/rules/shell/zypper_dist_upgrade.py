from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.shell._base import ShellRule


class ZypperDistUpgrade(ShellRule):
    """`zypper dist-upgrade` in a build.

    ## What it does
    Flags `zypper dist-upgrade` (`zypper dup`).

    ## Why is this bad?
    A distribution upgrade moves the image to whatever release the repositories serve today:
    a different OS than the base image tag says, and a build nobody can repeat. Pick the base
    image of the release you want instead.

    ## Example
    ```dockerfile
    FROM opensuse/leap:15.5
    RUN zypper -n dist-upgrade && zypper clean
    ```

    Use instead:
    ```dockerfile
    FROM opensuse/leap:15.6
    RUN zypper -n patch && zypper clean
    ```

    ## References
    - [hadolint DL3035](https://github.com/hadolint/hadolint/wiki/DL3035)
    """

    code = "SH025"
    name = "zypper-dist-upgrade"
    severity = "warning"
    aliases = {"hadolint": ("DL3035",)}
    commands = frozenset({"zypper"})

    def check_command(self, ctx, run, command) -> Iterator[Finding]:
        zypper = run.invocation(command)
        if zypper is not None and zypper.subcommand == "dist-upgrade":
            yield Finding(run.command_span(command), "zypper dist-upgrade changes the distribution release inside the build",
                          hint="use a base image of the release you want; zypper patch or update for fixes")
