from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import Rule
from twelvecheck.rules.compose._private import has_healthcheck


class DependsOnWithoutHealthCondition(Rule):
    """`depends_on` a service that has a healthcheck, without waiting for it to be healthy.

    ## What it does
    Flags `depends_on` entries (short syntax, or `condition: service_started`) whose target
    service defines a healthcheck.

    ## Why is this bad?
    Factor IX (disposability): start-up order alone does not mean ready. The dependent service
    starts while the database is still initialising, fails, and restarts or crash-loops. The
    healthcheck is already there: use `condition: service_healthy`.

    ## Example
    ```yaml
    services:
      api:
        image: example/api:3.2
        depends_on: [db]
      db:
        image: postgres:16.4
        healthcheck:
          test: ["CMD", "pg_isready"]
    ```

    Use instead:
    ```yaml
    services:
      api:
        image: example/api:3.2
        depends_on:
          db: {condition: service_healthy}
      db:
        image: postgres:16.4
        healthcheck:
          test: ["CMD", "pg_isready"]
    ```
    """

    code = "DC016"
    name = "depends-on-without-health-condition"
    severity = "warning"
    factors = ("IX",)
    kind = "compose"

    def check(self, ctx) -> Iterator[Finding]:
        for service in ctx.services.values():
            for dependency in service.depends_on:
                target = ctx.services.get(dependency.service)
                if dependency.condition == "service_started" and target is not None and has_healthcheck(target):
                    yield ctx.finding_at(dependency.file, dependency.span,
                                         f"service '{service.name}' starts once '{dependency.service}' has started, not once it is healthy",
                                         hint="use depends_on: {%s: {condition: service_healthy}}" % dependency.service)
