from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import Rule
from twelvecheck.rules.compose._private import items, scalar


class NoNewPrivilegesMissing(Rule):
    """A service without `security_opt: [no-new-privileges:true]` (hardening advice, off by default).

    ## What it does
    Reports services whose `security_opt` does not set `no-new-privileges`.

    ## Why is this bad?
    Without it, setuid binaries in the image can raise a process's privileges. Most images work
    with it on; its absence is common and often harmless, hence `info` and off by default.

    ## Example
    ```yaml
    services:
      app:
        image: example/app:1.4
    ```

    Use instead:
    ```yaml
    services:
      app:
        image: example/app:1.4
        security_opt: ["no-new-privileges:true"]
    ```
    """

    code = "DC007"
    name = "no-new-privileges-missing"
    severity = "info"
    kind = "compose"
    enabled_by_default = False

    def check(self, ctx) -> Iterator[Finding]:
        for service in ctx.services.values():
            options = [scalar(item).text.replace(" ", "").lower() for item in items(service.get("security_opt")) if scalar(item)]
            if not any(option.startswith(("no-new-privileges", "no-new-privileges:true")) and not option.endswith("false")
                       for option in options):
                yield ctx.finding(service, f"service '{service.name}' lets processes gain privileges (no no-new-privileges)",
                                  hint="add security_opt: [\"no-new-privileges:true\"]")
