from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import Rule
from twelvecheck.rules.compose._private import scalar


class LoggingDisabled(Rule):
    """`logging: driver: none` — the service's output stream is thrown away.

    ## What it does
    Flags services whose logging driver is `none`.

    ## Why is this bad?
    Factor XI (logs): the app writes its event stream to stdout and the environment routes it.
    With the `none` driver nothing is kept: `docker compose logs` is empty and nothing can ship
    the stream anywhere.

    ## Example
    ```yaml
    services:
      api:
        image: example/api:3.2
        logging:
          driver: none
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

    code = "DC020"
    name = "logging-disabled"
    severity = "warning"
    factors = ("XI",)
    kind = "compose"

    def check(self, ctx) -> Iterator[Finding]:
        for service in ctx.services.values():
            logging = service.get("logging")
            driver = scalar(logging.get("driver")) if logging is not None else None
            if driver is not None and driver.text == "none":
                yield ctx.finding(driver, f"service '{service.name}' discards its logs (driver: none)",
                                  hint="keep a logging driver (local, json-file, or your log shipper's)")
