from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import Rule
from twelvecheck.rules.compose._private import items, scalar

DISABLING = ("seccomp:unconfined", "seccomp=unconfined", "apparmor:unconfined", "apparmor=unconfined",
             "label:disable", "label=disable", "systempaths=unconfined")


class SecurityProfileDisabled(Rule):
    """`security_opt` that turns seccomp, AppArmor or SELinux confinement off.

    ## What it does
    Flags `seccomp:unconfined`, `apparmor:unconfined`, `label:disable` and
    `systempaths=unconfined` in `security_opt`.

    ## Why is this bad?
    The default profiles block the system calls most container escapes use; turning them off
    removes a layer of defence for every process in the container.

    ## Example
    ```yaml
    services:
      app:
        image: example/app:1.4
        security_opt: ["seccomp:unconfined"]
    ```

    Use instead:
    ```yaml
    services:
      app:
        image: example/app:1.4
        security_opt: ["no-new-privileges:true"]
    ```
    """

    code = "DC006"
    name = "security-profile-disabled"
    severity = "warning"
    kind = "compose"

    def check(self, ctx) -> Iterator[Finding]:
        for service in ctx.services.values():
            for item in items(service.get("security_opt")):
                node = scalar(item)
                if node is not None and node.text.replace(" ", "").lower() in DISABLING:
                    yield ctx.finding(node, f"service '{service.name}' disables a confinement profile ({node.text})",
                                      hint="keep the default profile, or write a custom one that allows just what is needed")
