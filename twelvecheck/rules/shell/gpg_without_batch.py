from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.shell._base import ShellRule


class GpgWithoutBatch(ShellRule):
    """`gpg` without `--batch`.

    ## What it does
    Flags `gpg` and `gpg2` commands without `--batch` (`gpg --version` is not flagged).

    ## Why is this bad?
    Without `--batch` gpg may ask questions (trust, overwrite, passphrase) that a build cannot
    answer, and it prints output meant for a terminal.

    ## Example
    ```dockerfile
    FROM debian:12-slim
    RUN gpg --keyserver keyserver.ubuntu.com --recv-keys 0123456789ABCDEF
    ```

    Use instead:
    ```dockerfile
    FROM debian:12-slim
    RUN gpg --batch --keyserver keyserver.ubuntu.com --recv-keys 0123456789ABCDEF
    ```

    ## References
    - binnacle rule `gpgUseBatchFlag` (Henkel et al., ICSE 2020)
    """

    code = "SH040"
    name = "gpg-without-batch"
    severity = "info"
    aliases = {"binnacle": ("gpgUseBatchFlag",)}

    def check_script(self, ctx, run) -> Iterator[Finding]:
        for command in run.all_commands:
            gpg = run.invocation(command) if command.name in ("gpg", "gpg2") else None
            if gpg is not None and command.args and not gpg.has("batch") and not gpg.has("version"):
                yield Finding(run.command_span(command), f"{command.name} without --batch may stop at a question",
                              hint=f"add --batch: {command.name} --batch …")
