from __future__ import annotations

import re
from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import InstructionRule
from twelvecheck.rules.context import env_pairs
from twelvecheck.lazy_re import lazy_compile

SERVICE_NAME = lazy_compile(r"(DB|DATABASE|POSTGRES|PG|MYSQL|MARIADB|MONGO(DB)?|REDIS|RABBIT(MQ)?|AMQP|KAFKA|ELASTIC(SEARCH)?|MEMCACHED?|SMTP|MAIL|BROKER|CACHE|QUEUE)_?(HOST|HOSTNAME|ADDR|ADDRESS|SERVER|URL|URI|DSN|ENDPOINT)S?$", re.IGNORECASE)
URL_HOST = lazy_compile(r"^[a-z][a-z0-9+.-]*://(?:[^@/\s]*@)?([^:/\s?]+)", re.IGNORECASE)
DOWNLOAD = lazy_compile(r"\.(tgz|tar(\.\w+)?|zip|jar|deb|rpm|gz|xz|asc|sha\d*)$", re.IGNORECASE)  # a download, not a service
LOCAL = frozenset({"", "localhost", "127.0.0.1", "0.0.0.0", "::1"})


def service_host(value: str) -> str | None:
    """The host a backing-service value names, if it is a literal host."""
    if "$" in value or not value.strip() or DOWNLOAD.search(value.strip()):
        return None
    match = URL_HOST.match(value.strip())
    host = match.group(1) if match else value.strip().split(":")[0]
    return host if re.fullmatch(r"[A-Za-z0-9.-]+", host) and "." in host and host not in LOCAL else None


class HardcodedServiceHost(InstructionRule):
    """A backing service's address (database host, broker URL) baked into the image with ENV.

    ## What it does
    Flags `ENV` variables named for a backing service (`DATABASE_URL`, `REDIS_HOST`,
    `AMQP_URI`, `SMTP_SERVER`…) whose value is a literal host name or IP address.

    ## Why is this bad?
    Factor IV (backing services) and III (config): the app must reach attached resources
    through config that changes per deploy. A host baked into the image points every deploy,
    staging included, at the same database.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    ENV DATABASE_URL=postgres://app@db.prod.example.com:5432/app
    ```

    Use instead:
    ```dockerfile
    FROM python:3.12-slim
    # DATABASE_URL is provided by the deploy environment
    CMD ["gunicorn", "app.wsgi"]
    ```
    """

    code = "DF212"
    name = "hardcoded-service-host"
    severity = "warning"
    factors = ("IV", "III")
    keywords = frozenset({"ENV"})

    def check_instruction(self, ctx, instruction) -> Iterator[Finding]:
        for key, value in env_pairs(instruction):
            host = service_host(ctx.expand(value, instruction)) if SERVICE_NAME.search(key) else None
            if host:
                yield Finding(instruction.span, f"ENV {key} bakes the backing service host '{host}' into the image",
                              hint="leave it out of the image and set it per deploy")
