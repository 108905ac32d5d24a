from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import Rule
from twelvecheck.rules.compose._private import items, scalar

# Capabilities that amount to root on the host or break out of the container.
DANGEROUS = frozenset({"ALL", "SYS_ADMIN", "SYS_MODULE", "SYS_PTRACE", "SYS_RAWIO", "DAC_READ_SEARCH",
                       "NET_ADMIN", "SYS_BOOT", "SYS_TIME", "MAC_ADMIN", "MAC_OVERRIDE", "BPF", "PERFMON"})


class DangerousCapabilityAdded(Rule):
    """`cap_add` of `ALL` or of a capability that equals root on the host.

    ## What it does
    Flags `cap_add` entries such as `ALL`, `SYS_ADMIN`, `SYS_PTRACE`, `SYS_MODULE`, `NET_ADMIN`,
    `DAC_READ_SEARCH` (with or without the `CAP_` prefix).

    ## Why is this bad?
    These capabilities let a process mount file systems, load kernel modules, trace other
    processes or read any file: known container escapes.

    ## Example
    ```yaml
    services:
      app:
        image: example/app:1.4
        cap_add: [SYS_ADMIN]
    ```

    Use instead:
    ```yaml
    services:
      app:
        image: example/app:1.4
        cap_add: [NET_BIND_SERVICE]
    ```
    """

    code = "DC005"
    name = "dangerous-capability-added"
    severity = "warning"
    kind = "compose"

    def check(self, ctx) -> Iterator[Finding]:
        for service in ctx.services.values():
            for item in items(service.get("cap_add")):
                node = scalar(item)
                name = node.text.upper().removeprefix("CAP_") if node is not None else ""
                if name in DANGEROUS:
                    yield ctx.finding(node, f"service '{service.name}' adds capability {name}",
                                      hint="add only the narrow capabilities the process needs")
