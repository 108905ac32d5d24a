from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import Rule
from twelvecheck.rules.compose._private import scalar


def replicas(service) -> int:
    """``deploy.replicas`` (or the legacy ``scale``), 1 when unset or not a number."""
    deploy = service.get("deploy")
    node = scalar(deploy.get("replicas")) if deploy is not None else None
    node = node or scalar(service.get("scale"))
    return node.value if node is not None and isinstance(node.value, int) else 1


class FixedHostPortOnReplicatedService(Rule):
    """A service with several replicas that publishes a fixed host port.

    ## What it does
    Flags fixed host ports (`"8080:80"`) on services with `deploy.replicas` (or `scale`) above 1.

    ## Why is this bad?
    Factor VIII (concurrency): only one container can hold a host port, so the second replica
    fails to start. Publish a range, an ephemeral port, or put a proxy in front.

    ## Example
    ```yaml
    services:
      web:
        image: example/web:2.0
        deploy: {replicas: 3}
        ports: ["8080:80"]
    ```

    Use instead:
    ```yaml
    services:
      web:
        image: example/web:2.0
        deploy: {replicas: 3}
        ports: ["8080-8082:80"]
    ```
    """

    code = "DC012"
    name = "fixed-host-port-on-replicated-service"
    severity = "warning"
    factors = ("VIII",)
    kind = "compose"

    def check(self, ctx) -> Iterator[Finding]:
        for service in ctx.services.values():
            count = replicas(service)
            if count < 2:
                continue
            for port in service.ports:
                if port.published is not None and port.published.end - port.published.start + 1 < count:
                    yield ctx.finding(port.node, f"service '{service.name}' runs {count} replicas but publishes fixed host port {port.published}",
                                      hint="publish a port range as wide as the replica count, or an ephemeral port behind a proxy")
