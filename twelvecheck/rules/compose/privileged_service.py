from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import Rule
from twelvecheck.rules.compose._private import is_true


class PrivilegedService(Rule):
    """A service that runs with `privileged: true`.

    ## What it does
    Flags services whose `privileged` key is true.

    ## Why is this bad?
    A privileged container has every capability and every host device: escaping it is trivial,
    so one compromised process owns the host.

    ## Example
    ```yaml
    services:
      app:
        image: example/app:1.4
        privileged: true
    ```

    Use instead:
    ```yaml
    services:
      app:
        image: example/app:1.4
        cap_add: [NET_BIND_SERVICE]
    ```

    ## References
    - [Compose file reference: privileged](https://docs.docker.com/reference/compose-file/services/#privileged)
    """

    code = "DC001"
    name = "privileged-service"
    severity = "warning"
    kind = "compose"

    def check(self, ctx) -> Iterator[Finding]:
        for service in ctx.services.values():
            node = service.get("privileged")
            if is_true(node):
                yield ctx.finding(node, f"service '{service.name}' runs privileged: it has full access to the host",
                                  hint="drop 'privileged' and add only the capabilities or devices it needs")
