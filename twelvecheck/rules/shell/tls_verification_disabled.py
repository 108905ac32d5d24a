from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.shell._base import ShellRule

_HOW = {
    "curl": "curl -k/--insecure", "wget": "wget --no-check-certificate", "pip": "pip --trusted-host or an http:// index",
    "npm": "npm strict-ssl=false", "yarn": "yarn strict-ssl false", "git": "git http.sslVerify=false",
    "apt-get": "apt Acquire::https::Verify-Peer=false", "apt": "apt Acquire::https::Verify-Peer=false",
    "yum": "yum sslverify=0", "dnf": "dnf sslverify=0", "microdnf": "microdnf sslverify=0",
}


class TlsVerificationDisabled(ShellRule):
    """A download tool in RUN runs with TLS certificate verification off.

    ## What it does
    Reads each command with the shared argument parsers and reports `curl -k`/`--insecure`,
    `wget --no-check-certificate` (or `-e check_certificate=off`), `pip --trusted-host` or an
    `http://` index, `npm --strict-ssl=false` and `npm config set strict-ssl false`,
    `yarn config set strict-ssl false`, `git -c http.sslVerify=false` and
    `git config http.sslVerify false`, apt's `-o Acquire::https::Verify-Peer=false`, and
    yum/dnf `--setopt=sslverify=0`. Options are read as the tool reads them (`-fsSLk` is
    `-k`), wherever the command sits (`&&` lists, `sudo`, `sh -c`). Environment variables that
    do the same are `tls-verification-disabled-by-env` (DF102).

    ## Why is this bad?
    Without certificate checks anyone on the network path can serve modified packages or
    scripts, and the build installs them.

    ## Example
    ```dockerfile
    FROM debian:12-slim
    RUN curl -fsSLk https://example.com/tool.tar.gz -o /tmp/tool.tar.gz
    ```

    Use instead:
    ```dockerfile
    FROM debian:12-slim
    RUN curl -fsSL https://example.com/tool.tar.gz -o /tmp/tool.tar.gz
    ```

    ## References
    - [Checkov CKV2_DOCKER_2, 3, 4, 13](https://www.checkov.io/5.Policy%20Index/dockerfile.html)
    """

    code = "SH101"
    name = "tls-verification-disabled"
    severity = "warning"
    aliases = {"checkov": ("CKV2_DOCKER_2", "CKV2_DOCKER_3", "CKV2_DOCKER_4", "CKV2_DOCKER_13")}

    def check_command(self, ctx, run, command) -> Iterator[Finding]:
        invocation = run.invocation(command)
        if invocation is not None and getattr(invocation, "disables_tls_verification", False):
            how = _HOW.get(command.name, invocation.tool)
            yield Finding(run.command_span(command), f"{how} turns off TLS certificate verification",
                          hint="keep verification on; add a private CA to the trust store if one is needed")
