from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules._insecure_env import tls_disabling
from twelvecheck.rules.base import DockerfileRule
from twelvecheck.rules.context import arg_pairs, env_pairs


class TlsVerificationDisabledByEnv(DockerfileRule):
    """An environment variable switches TLS certificate verification off.

    ## What it does
    Reports `ENV` and `ARG` (with a default) that set `NODE_TLS_REJECT_UNAUTHORIZED=0`,
    `PYTHONHTTPSVERIFY=0`, `GIT_SSL_NO_VERIFY` (any value), `NPM_CONFIG_STRICT_SSL=false`,
    `PIP_TRUSTED_HOST`, `YARN_ENABLE_STRICT_SSL=false`, `GOINSECURE` or `GONOSUMDB=*`, and
    the same variables set for a command or exported inside `RUN`
    (`GIT_SSL_NO_VERIFY=1 git clone …`, `export NODE_TLS_REJECT_UNAUTHORIZED=0`).

    ## Why is this bad?
    Without certificate checks anyone on the network path can serve modified packages or
    code. An `ENV` also keeps the setting in the running container, for every connection the
    application makes.

    ## Example
    ```dockerfile
    FROM node:22-slim
    ENV NODE_TLS_REJECT_UNAUTHORIZED=0
    RUN npm ci
    ```

    Use instead:
    ```dockerfile
    FROM node:22-slim
    COPY corp-ca.pem /usr/local/share/ca-certificates/corp-ca.crt
    ENV NODE_EXTRA_CA_CERTS=/usr/local/share/ca-certificates/corp-ca.crt
    RUN npm ci
    ```

    ## References
    - [Checkov CKV2_DOCKER_5, 6, 12, 14, 16](https://www.checkov.io/5.Policy%20Index/dockerfile.html)
    """

    code = "DF102"
    name = "tls-verification-disabled-by-env"
    severity = "warning"
    aliases = {"checkov": ("CKV2_DOCKER_5", "CKV2_DOCKER_6", "CKV2_DOCKER_12", "CKV2_DOCKER_14", "CKV2_DOCKER_16")}

    def check(self, ctx) -> Iterator[Finding]:
        for instruction in ctx.instructions_with({"ENV", "ARG"}):
            pairs = env_pairs(instruction) if instruction.keyword == "ENV" else arg_pairs(instruction)
            for name, value in pairs:
                what = tls_disabling(name, value or "") if value is not None else None
                if what:
                    yield Finding(instruction.span, f"{instruction.keyword} {name}={value} turns off {what}",
                                  hint="trust a private CA instead (NODE_EXTRA_CA_CERTS, SSL_CERT_FILE, update-ca-certificates)")
        for run in ctx.run_scripts:
            for command in run.commands:
                for name, value in _assignments(command):
                    what = tls_disabling(name, value)
                    if what:
                        yield Finding(run.command_span(command), f"{name}={value} turns off {what}",
                                      hint="trust a private CA instead of turning verification off")


def _assignments(command) -> Iterator[tuple[str, str]]:
    """``X=1 cmd`` prefixes, and the operands of ``export``/``env``-style ``X=1`` words."""
    words = list(command.assignments)
    if command.name in ("export", "declare", "typeset", "readonly", "env"):
        words += [word for word in command.argv[1:] if "=" in word.value and not word.value.startswith("-")]
    for word in words:
        name, _, value = word.value.partition("=")
        yield name, value
