from __future__ import annotations

import re
from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import Rule
from twelvecheck.lazy_re import lazy_compile

LOG_TARGET = lazy_compile(r"(^/var/log(/|$))|(/logs?/?$)", re.IGNORECASE)


class LogVolume(Rule):
    """A volume or bind mount for the service's log files.

    ## What it does
    Flags mounts whose target is `/var/log/…` or a `log`/`logs` directory.

    ## Why is this bad?
    Factor XI (logs): an app writes its logs as an event stream to stdout and never manages log
    files. A log volume means the app writes files that someone has to rotate, ship and clean.

    ## Example
    ```yaml
    services:
      api:
        image: example/api:3.2
        volumes: ["./logs:/app/logs"]
    ```

    Use instead:
    ```yaml
    services:
      api:
        image: example/api:3.2
        logging:
          driver: local
    ```
    """

    code = "DC025"
    name = "log-volume"
    severity = "warning"
    factors = ("XI",)
    kind = "compose"

    def check(self, ctx) -> Iterator[Finding]:
        for service in ctx.services.values():
            for mount in service.volumes:
                if mount.type in ("bind", "volume") and LOG_TARGET.search(mount.target):
                    yield ctx.finding(mount.node, f"service '{service.name}' mounts {mount.target} for log files",
                                      hint="log to stdout/stderr and let the logging driver collect it")
