from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules._fixes import make_fix, replace_pattern_in_word
from twelvecheck.rules.shell._base import ShellRule


class SksKeyserverPool(ShellRule):
    """`gpg` using an SKS keyserver pool.

    ## What it does
    Flags `gpg --keyserver` pointing at `*.sks-keyservers.net`. binnacle advised the `ha.pool`
    over the plain pool; the whole SKS pool network was shut down in 2021, so the advice is
    obsolete: this rule is off by default and its hint names keyservers that still answer.

    ## Why is this bad?
    The pool no longer resolves: the key fetch fails, or hangs until a timeout.

    ## Example
    ```dockerfile
    FROM debian:12-slim
    RUN gpg --batch --keyserver ha.pool.sks-keyservers.net --recv-keys 0123456789ABCDEF
    ```

    Use instead:
    ```dockerfile
    FROM debian:12-slim
    RUN gpg --batch --keyserver keyserver.ubuntu.com --recv-keys 0123456789ABCDEF
    ```

    ## Fix safety
    Unsafe: the host becomes `keyserver.ubuntu.com`, which must hold the key the command asks for
    (it holds most keys the SKS pool had; keys.openpgp.org strips user IDs).

    ## References
    - binnacle rule `gpgUseHaPools` (Henkel et al., ICSE 2020)
    """

    code = "SH047"
    name = "sks-keyserver-pool"
    severity = "info"
    aliases = {"binnacle": ("gpgUseHaPools",)}
    enabled_by_default = False
    fixable = True
    fix_safety = "unsafe"

    def check_script(self, ctx, run) -> Iterator[Finding]:
        for command in run.all_commands:
            gpg = run.invocation(command) if command.name in ("gpg", "gpg2") else None
            server = gpg.value("keyserver") if gpg is not None else None
            if server and "sks-keyservers.net" in server:
                yield Finding(run.command_span(command), f"keyserver {server} is part of the SKS pool, shut down in 2021",
                              hint="use keyserver.ubuntu.com or keys.openpgp.org", fix=_server_fix(run, command))


def _server_fix(run, command):
    word = next((w for w in command.argv[1:] if "sks-keyservers.net" in w.value), None)
    if word is None:
        return None
    return make_fix("use keyserver.ubuntu.com",
                    replace_pattern_in_word(run, word, r"[a-z0-9.-]*sks-keyservers\.net", "keyserver.ubuntu.com"), safe=False)
