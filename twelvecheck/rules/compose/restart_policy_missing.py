from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import Rule


class RestartPolicyMissing(Rule):
    """A service without a restart policy (hardening advice, off by default).

    ## What it does
    Reports services with neither `restart:` nor `deploy.restart_policy`.

    ## Why is this bad?
    Factor IX (disposability): processes should be cheap to restart, and a crashed one should
    come back. Fine in development, so `info` and off by default.

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
        restart: unless-stopped
    ```
    """

    code = "DC018"
    name = "restart-policy-missing"
    severity = "info"
    factors = ("IX",)
    kind = "compose"
    enabled_by_default = False

    def check(self, ctx) -> Iterator[Finding]:
        for service in ctx.services.values():
            deploy = service.get("deploy")
            if service.get("restart") is None and (deploy is None or deploy.get("restart_policy") is None):
                yield ctx.finding(service, f"service '{service.name}' has no restart policy",
                                  hint="set restart: unless-stopped (or deploy.restart_policy)")
