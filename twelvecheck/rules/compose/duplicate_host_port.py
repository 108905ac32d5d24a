from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import Rule


class DuplicateHostPort(Rule):
    """Two services (or two entries) publish the same host port.

    ## What it does
    Flags a published host port (with its address and protocol) already published by an earlier
    entry, when both services can run together (no disjoint profiles).

    ## Why is this bad?
    The second container fails to start: "port is already allocated".

    ## Example
    ```yaml
    services:
      web:
        image: example/web:2.0
        ports: ["8080:80"]
      admin:
        image: example/admin:1.0
        ports: ["8080:80"]
    ```

    Use instead:
    ```yaml
    services:
      web:
        image: example/web:2.0
        ports: ["8080:80"]
      admin:
        image: example/admin:1.0
        ports: ["8081:80"]
    ```
    """

    code = "DC022"
    name = "duplicate-host-port"
    severity = "error"
    factors = ("VII",)
    kind = "compose"

    def check(self, ctx) -> Iterator[Finding]:
        taken: dict[tuple[str, str, int], tuple[str, frozenset[str]]] = {}
        for service in ctx.services.values():
            profiles = frozenset(service.profiles)
            for port in service.ports:
                if port.published is None:
                    continue
                for number in range(port.published.start, min(port.published.end, port.published.start + 1024) + 1):
                    key = (port.host_ip or "0.0.0.0", port.protocol, number)
                    owner = taken.get(key)
                    if owner is not None and (not owner[1] or not profiles or owner[1] & profiles):
                        where = "another entry" if owner[0] == service.name else f"service '{owner[0]}'"
                        yield ctx.finding(port.node, f"host port {number}/{port.protocol} of service '{service.name}' is already published by {where}",
                                          hint="publish a different host port")
                        break
                    taken.setdefault(key, (service.name, profiles))
