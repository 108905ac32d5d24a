from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import Rule


class ResourceLimitsMissing(Rule):
    """A service without a memory limit (hardening advice, off by default).

    ## What it does
    Reports services with neither `mem_limit` nor `deploy.resources.limits.memory`.

    ## Why is this bad?
    One leaking container can take the host's memory and get its neighbours killed. Common and
    often fine on a laptop, so `info` and off by default.

    ## Example
    ```yaml
    services:
      worker:
        image: example/worker:1.2
    ```

    Use instead:
    ```yaml
    services:
      worker:
        image: example/worker:1.2
        deploy:
          resources:
            limits: {memory: 512M}
    ```
    """

    code = "DC019"
    name = "resource-limits-missing"
    severity = "info"
    kind = "compose"
    enabled_by_default = False

    def check(self, ctx) -> Iterator[Finding]:
        for service in ctx.services.values():
            deploy = service.get("deploy")
            limit = deploy.at("resources", "limits", "memory") if deploy is not None else None
            if service.get("mem_limit") is None and limit is None:
                yield ctx.finding(service, f"service '{service.name}' has no memory limit",
                                  hint="set deploy.resources.limits.memory (or mem_limit)")
