from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import Rule
from twelvecheck.rules.compose._private import scalar


class HostNetworkMode(Rule):
    """A service that shares the host's network stack (`network_mode: host`).

    ## What it does
    Flags `network_mode: host`.

    ## Why is this bad?
    The container sees every host interface and can bind any host port; network isolation and
    port publishing (factor VII's explicit port binding) are gone.

    ## Example
    ```yaml
    services:
      api:
        image: example/api:3.2
        network_mode: host
    ```

    Use instead:
    ```yaml
    services:
      api:
        image: example/api:3.2
        ports: ["127.0.0.1:8080:8080"]
    ```
    """

    code = "DC003"
    name = "host-network-mode"
    severity = "warning"
    factors = ("VII",)
    kind = "compose"

    def check(self, ctx) -> Iterator[Finding]:
        for service in ctx.services.values():
            node = scalar(service.get("network_mode"))
            if node is not None and node.text == "host":
                yield ctx.finding(node, f"service '{service.name}' uses the host's network stack",
                                  hint="use a compose network and publish the ports it serves")
