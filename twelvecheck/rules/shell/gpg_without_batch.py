from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules._fixes import option_fix
from twelvecheck.rules.shell._base import ShellRule


# Operations that can need an answer (passphrase, confirmation, key trust).
_ASKING = ("sign", "clearsign", "detach-sign", "decrypt", "symmetric", "encrypt", "gen-key",
           "generate-key", "full-generate-key", "full-gen-key", "quick-generate-key", "quick-gen-key",
           "edit-key", "delete-keys", "delete-key", "delete-secret-keys", "delete-secret-and-public-keys",
           "sign-key", "lsign-key", "quick-sign-key")


class GpgWithoutBatch(ShellRule):
    """`gpg` that may ask a question, without `--batch`.

    ## What it does
    Flags `gpg` and `gpg2` commands without `--batch` whose operation can stop at a question:
    signing, decrypting, symmetric or public-key encryption (passphrase, "use this key
    anyway?"), generating, editing or deleting keys. Importing, verifying, fetching
    (`--recv-keys`), dearmoring and listing never ask, so they are not flagged: most official
    images run `gpg --import KEYS && gpg --verify x.asc x` and nothing can go wrong there.

    ## Why is this bad?
    A build has no terminal: gpg that needs an answer fails with "cannot open '/dev/tty'" or
    waits for a pinentry that never comes. `--batch` makes it fail fast with a clear message
    (or proceed, with `--yes` or `--pinentry-mode loopback`).

    ## Example
    ```dockerfile
    FROM debian:12-slim
    RUN gpg --passphrase-file /run/secrets/key --decrypt app.tgz.gpg > app.tgz
    ```

    Use instead:
    ```dockerfile
    FROM debian:12-slim
    RUN gpg --batch --pinentry-mode loopback --passphrase-file /run/secrets/key --decrypt app.tgz.gpg > app.tgz
    ```

    ## Fix safety
    Safe: a build has no terminal, so a gpg that asked a question could not have succeeded;
    `--batch` makes it fail at once instead of waiting.

    ## References
    - binnacle rule `gpgUseBatchFlag` (Henkel et al., ICSE 2020)
    """

    code = "SH040"
    name = "gpg-without-batch"
    severity = "info"
    aliases = {"binnacle": ("gpgUseBatchFlag",)}
    fixable = True

    def check_script(self, ctx, run) -> Iterator[Finding]:
        for command in run.all_commands:
            gpg = run.invocation(command) if command.name in ("gpg", "gpg2") else None
            if gpg is not None and not gpg.has("batch") and any(gpg.has(operation) for operation in _ASKING):
                yield Finding(run.command_span(command), f"{command.name} without --batch may stop at a question no one can answer",
                              hint=f"add --batch: {command.name} --batch …", fix=option_fix(run, command, "--batch"))
