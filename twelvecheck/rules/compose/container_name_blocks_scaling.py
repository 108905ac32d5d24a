from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import Rule


class ContainerNameBlocksScaling(Rule):
    """`container_name` on a service built from the application's code.

    ## What it does
    Flags `container_name` on services that have `build:` (the app's own processes).

    ## Why is this bad?
    Factor VIII (concurrency): the app scales out by running more processes. A fixed container
    name allows exactly one container, so `docker compose up --scale app=3` fails.

    ## Example
    ```yaml
    services:
      worker:
        build: .
        container_name: worker
    ```

    Use instead:
    ```yaml
    services:
      worker:
        build: .
    ```
    """

    code = "DC011"
    name = "container-name-blocks-scaling"
    severity = "info"
    factors = ("VIII",)
    kind = "compose"

    def check(self, ctx) -> Iterator[Finding]:
        for service in ctx.services.values():
            node = service.get("container_name")
            if service.build is not None and node is not None:
                yield ctx.finding(node, f"service '{service.name}' has a fixed container name: it cannot scale out",
                                  hint="drop container_name; reach the service by its service name")
