from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import Rule
from twelvecheck.rules.compose._private import duration_seconds, scalar


class ShortStopGracePeriod(Rule):
    """A `stop_grace_period` too short for a graceful shutdown.

    ## What it does
    Flags `stop_grace_period` values below `minimum_seconds` (default 2 s).

    ## Why is this bad?
    Factor IX (disposability): processes shut down gracefully on SIGTERM, finishing in-flight
    requests and returning jobs to the queue. A near-zero grace period turns every stop into a
    SIGKILL.

    ## Example
    ```yaml
    services:
      worker:
        image: example/worker:1.2
        stop_grace_period: 0s
    ```

    Use instead:
    ```yaml
    services:
      worker:
        image: example/worker:1.2
        stop_grace_period: 30s
    ```

    ## Options
    - `minimum_seconds`: shortest grace period accepted (default 2).
    """

    code = "DC026"
    name = "short-stop-grace-period"
    severity = "warning"
    factors = ("IX",)
    kind = "compose"
    options = {"minimum_seconds": 2}

    def check(self, ctx) -> Iterator[Finding]:
        for service in ctx.services.values():
            node = scalar(service.get("stop_grace_period"))
            seconds = duration_seconds(node.text) if node is not None else None
            if seconds is not None and seconds < self.config["minimum_seconds"]:
                yield ctx.finding(node, f"service '{service.name}' gets {node.text} to stop before SIGKILL",
                                  hint="give the process time to finish in-flight work (10s or more)")
