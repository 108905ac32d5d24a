from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.parse.compose import Scalar
from twelvecheck.parse.compose.normalize import key_value_mapping
from twelvecheck.rules._secrets import secret_reason
from twelvecheck.rules.base import Rule
from twelvecheck.rules.compose._private import mapping_entries


class SecretInEnvironment(Rule):
    """A password, token or key written in clear in `environment:` or in an `env_file`.

    ## What it does
    Flags environment variables whose name says secret (`*_PASSWORD`, `*_TOKEN`, `*_API_KEY`…)
    and whose value is a literal, and values shaped like a credential whatever their name (cloud
    keys, private keys, `scheme://user:password@host` URLs), in `environment:` and in the
    `env_file` files the service reads. Names are read as words: `Filters__0__Key` (a .NET
    setting path) and `SORT_KEY` are not secrets, `PAYMENT_API_KEY` is; an auth mode
    (`POSTGRES_HOST_AUTH_METHOD: trust`, `LDAP_AUTH: simple`) is not a secret value. An obvious
    placeholder (`change-me`, `<secret>`, `your-token-here`) is skipped: it leaks nothing and the
    deploy has to replace it anyway. A weak real default (`postgres`, `admin`) still counts.

    ## Why is this bad?
    Factor III (config): credentials belong to the deploy, not to the code. A secret in a
    committed file is shared with everyone who can read the repository and is the same in every
    environment. Interpolate it (`${DB_PASSWORD:?}`) or use compose `secrets:`.

    ## Example
    ```yaml
    services:
      api:
        image: example/api:3.2
        environment:
          DATABASE_URL: postgres://app:s3cr3t@db/app
          API_TOKEN: 9f8e7d6c5b4a
    ```

    Use instead:
    ```yaml
    services:
      api:
        image: example/api:3.2
        environment:
          DATABASE_URL: postgres://app:${DB_PASSWORD:?set DB_PASSWORD}@db/app
          API_TOKEN: ${API_TOKEN:?}
    ```

    ## References
    - [The Twelve-Factor App: III. Config](https://12factor.net/config)
    - [Compose secrets](https://docs.docker.com/compose/how-tos/use-secrets/)
    """

    code = "DC008"
    name = "secret-in-environment"
    severity = "warning"
    factors = ("III",)
    kind = "compose"

    def check(self, ctx) -> Iterator[Finding]:
        for service in ctx.services.values():
            reported: set[tuple[str, int, str]] = set()  # the engine merges the services of one place
            environment = key_value_mapping(service.get("environment")) if service.get("environment") else None
            for key, value in mapping_entries(environment):
                if not isinstance(value, Scalar) or value.variables:
                    continue
                reason = secret_reason(key.text, value.text if value.value is not None else None)
                if reason and (key.file, key.span.line, key.text) not in reported:
                    reported.add((key.file, key.span.line, key.text))
                    yield ctx.finding(key, f"{key.text} of service '{service.name}' is a clear-text secret: {reason}",
                                      hint="interpolate it from the deploy environment (${VAR:?}) or use compose secrets")
            for variable in service.environment.values():
                if variable.source != "env_file" or (variable.file, variable.span.line, variable.name) in reported:
                    continue
                reason = secret_reason(variable.name, variable.value)
                if reason:
                    reported.add((variable.file, variable.span.line, variable.name))
                    yield ctx.finding_at(variable.file, variable.span,
                                         f"{variable.name} (env file of service '{service.name}') is a clear-text secret: {reason}",
                                         hint="keep real values out of the repository: commit an example file, inject the real one at deploy")
