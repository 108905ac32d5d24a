from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import Rule
from twelvecheck.rules.compose._private import scalar

NAMESPACE_KEYS = {"pid": "process", "ipc": "IPC", "userns_mode": "user", "uts": "UTS", "cgroup": "cgroup"}


class HostNamespaceShared(Rule):
    """A service that joins a host namespace (`pid`, `ipc`, `userns_mode`, `uts`, `cgroup: host`).

    ## What it does
    Flags `pid: host`, `ipc: host`, `userns_mode: host`, `uts: host` and `cgroup: host`.

    ## Why is this bad?
    The container can see and signal host processes, read host shared memory, or runs without
    user-namespace remapping: isolation is gone for that resource.

    ## Example
    ```yaml
    services:
      agent:
        image: example/agent:1.0
        pid: host
    ```

    Use instead:
    ```yaml
    services:
      agent:
        image: example/agent:1.0
    ```
    """

    code = "DC004"
    name = "host-namespace-shared"
    severity = "warning"
    kind = "compose"

    def check(self, ctx) -> Iterator[Finding]:
        for service in ctx.services.values():
            for key, namespace in NAMESPACE_KEYS.items():
                node = scalar(service.get(key))
                if node is not None and node.text == "host":
                    yield ctx.finding(node, f"service '{service.name}' shares the host's {namespace} namespace ({key}: host)",
                                      hint=f"remove '{key}: host' unless the service is a host agent that needs it")
