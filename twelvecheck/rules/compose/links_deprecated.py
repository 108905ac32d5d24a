from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import Rule


class LinksDeprecated(Rule):
    """`links:` — a legacy feature; services reach each other by name on a network.

    ## What it does
    Flags the `links` key of services.

    ## Why is this bad?
    Links are legacy: every service on a compose network already resolves the others by name,
    and `depends_on` expresses start order. Links also tie a service to a single container of
    its peer (factor IV: backing services are attached resources, found by name or URL).

    ## Example
    ```yaml
    services:
      web:
        image: example/web:2.0
        links: [db]
      db:
        image: postgres:16.4
    ```

    Use instead:
    ```yaml
    services:
      web:
        image: example/web:2.0
        depends_on: [db]
      db:
        image: postgres:16.4
    ```
    """

    code = "DC014"
    name = "links-deprecated"
    severity = "info"
    factors = ("IV",)
    kind = "compose"

    def check(self, ctx) -> Iterator[Finding]:
        for service in ctx.services.values():
            node = service.node.key("links")
            if node is not None:
                yield ctx.finding(node, f"service '{service.name}' uses legacy links",
                                  hint="remove links; use the service name as host name, and depends_on for order")
