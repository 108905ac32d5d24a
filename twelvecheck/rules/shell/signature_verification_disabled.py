from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.shell._base import ShellRule


class SignatureVerificationDisabled(ShellRule):
    """A package manager installs packages without checking their signatures.

    ## What it does
    Reports `apk --allow-untrusted`, `apt-get --allow-unauthenticated`,
    `--allow-insecure-repositories` and `--force-yes` (and their `-o APT::Get::…` forms),
    `yum`/`dnf`/`microdnf --nogpgcheck` or `--setopt=gpgcheck=0`, and
    `zypper --no-gpg-checks`.

    ## Why is this bad?
    Package signatures are what makes a mirror or a proxy unable to slip in modified
    packages; with the check off, any package served is installed as root.

    ## Example
    ```dockerfile
    FROM alpine:3.20
    RUN apk add --no-cache --allow-untrusted ./vendor/tool.apk
    ```

    Use instead:
    ```dockerfile
    FROM alpine:3.20
    COPY vendor/signing-key.rsa.pub /etc/apk/keys/
    RUN apk add --no-cache ./vendor/tool.apk
    ```

    ## References
    - [Checkov CKV2_DOCKER_7, 8, 9, 11](https://www.checkov.io/5.Policy%20Index/dockerfile.html)
    """

    code = "SH102"
    name = "signature-verification-disabled"
    severity = "warning"
    aliases = {"checkov": ("CKV2_DOCKER_7", "CKV2_DOCKER_8", "CKV2_DOCKER_9", "CKV2_DOCKER_11")}
    commands = frozenset({"apk", "apt-get", "apt", "yum", "dnf", "microdnf", "tdnf", "zypper"})

    def check_command(self, ctx, run, command) -> Iterator[Finding]:
        invocation = run.invocation(command)
        if invocation is None:
            return
        if command.name == "apk" and invocation.subcommand not in ("add", "upgrade", "fix", "fetch"):
            return  # 'apk index --allow-untrusted' indexes local packages; it installs nothing
        off = any(getattr(invocation, prop, False)
                  for prop in ("allows_untrusted", "allows_unauthenticated", "disables_gpg_check"))
        if off:
            yield Finding(run.command_span(command), f"{command.name} installs packages without checking their signatures",
                          hint="import the repository's signing key instead of turning the check off")
