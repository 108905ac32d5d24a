from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.shell._base import ShellRule


class DefaultShellReplaced(ShellRule):
    """`ln` replacing `/bin/sh` in RUN.

    ## What it does
    Flags `ln` whose link name is `/bin/sh` (`ln -sf /bin/bash /bin/sh`). Linking *from*
    `/bin/sh` to elsewhere is not flagged.

    ## Why is this bad?
    Replacing `/bin/sh` changes the shell of every script in the image, including the
    distribution's own maintainer scripts written for the original shell. The `SHELL`
    instruction changes the shell of the Dockerfile's RUN steps only, visibly.

    ## Example
    ```dockerfile
    FROM debian:12-slim
    RUN ln -sf /bin/bash /bin/sh
    ```

    Use instead:
    ```dockerfile
    FROM debian:12-slim
    SHELL ["/bin/bash", "-o", "pipefail", "-c"]
    ```

    ## References
    - [hadolint DL4005](https://github.com/hadolint/hadolint/wiki/DL4005)
    """

    code = "SH029"
    name = "default-shell-replaced"
    severity = "warning"
    aliases = {"hadolint": ("DL4005",)}
    commands = frozenset({"ln"})

    def check_command(self, ctx, run, command) -> Iterator[Finding]:
        ln = run.invocation(command)
        if ln is None or ln.has("target-directory") or len(ln.operands) < 2:
            return
        if ln.operands[-1].value.rstrip("/") == "/bin/sh":
            yield Finding(run.command_span(command), f"ln replaces /bin/sh with {ln.operands[0].value} for every script in the image",
                          hint='use SHELL ["/bin/bash", "-c"] to change the shell of RUN steps')
