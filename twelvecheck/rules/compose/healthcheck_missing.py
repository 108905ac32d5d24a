from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import Rule


class HealthcheckMissing(Rule):
    """A service that serves a port and built from the app's code, with no healthcheck anywhere.

    ## What it does
    Reports services with `build:` and `ports:` that define no `healthcheck` in compose and
    whose Dockerfile has no `HEALTHCHECK` either.

    ## Why is this bad?
    Factor IX (disposability): without a healthcheck nothing can tell a started container from a
    ready one, so `depends_on` conditions, rolling updates and restarts act blind. Advice, so
    `info`.

    ## Example
    ```yaml
    services:
      web:
        build: .
        ports: ["8080:8080"]
    ```

    Use instead:
    ```yaml
    services:
      web:
        build: .
        ports: ["8080:8080"]
        healthcheck:
          test: ["CMD", "wget", "-qO-", "http://localhost:8080/health"]
    ```
    """

    code = "DC017"
    name = "healthcheck-missing"
    severity = "info"
    factors = ("IX",)
    kind = "compose"

    def check(self, ctx) -> Iterator[Finding]:
        for service in ctx.services.values():
            if service.build is None or not service.ports or service.get("healthcheck") is not None:
                continue
            link = ctx.build_link(service)
            dockerfile = link.dockerfile if link is not None else None
            if dockerfile is not None and any(i.keyword == "HEALTHCHECK" for i in dockerfile.instructions):
                continue
            yield ctx.finding(service, f"service '{service.name}' serves a port but has no healthcheck",
                              hint="add a healthcheck (compose or Dockerfile HEALTHCHECK) that probes readiness")
