from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import Rule


class PortPublishedOnAllInterfaces(Rule):
    """A published port without a host address: reachable on every interface (advice, off by default).

    ## What it does
    Reports `ports` entries with a host port but no host IP (`"5432:5432"`), which Docker binds to
    `0.0.0.0` and opens through the host firewall.

    ## Why is this bad?
    A database published this way on a laptop or server is reachable from the network. Often
    intended for web ports, hence `info` and off by default.

    ## Example
    ```yaml
    services:
      db:
        image: postgres:16.4
        ports: ["5432:5432"]
    ```

    Use instead:
    ```yaml
    services:
      db:
        image: postgres:16.4
        ports: ["127.0.0.1:5432:5432"]
    ```
    """

    code = "DC013"
    name = "port-published-on-all-interfaces"
    severity = "info"
    kind = "compose"
    enabled_by_default = False

    def check(self, ctx) -> Iterator[Finding]:
        for service in ctx.services.values():
            for port in service.ports:
                if port.published is not None and port.host_ip in (None, "0.0.0.0", "::"):
                    yield ctx.finding(port.node, f"service '{service.name}' publishes port {port.published} on all interfaces",
                                      hint="bind to 127.0.0.1 unless other machines must reach it")
