from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.shell._base import ShellRule
from twelvecheck.rules.mounts import caches_path


APT = frozenset({"apt-get", "apt"})


class AptInstallWithoutUpdate(ShellRule):
    r"""`apt-get install` without `apt-get update` before it in the same RUN.

    ## What it does
    Flags `apt-get install` of named packages when no `apt-get update` runs earlier in the same
    RUN (`apt-get install --update`, apt 3, updates too). Installing only local `.deb` files,
    and RUNs with a BuildKit cache mount on
    `/var/lib/apt/lists`, are not flagged.

    ## Why is this bad?
    Package lists from an earlier layer are stale and cached: the build installs outdated
    versions, or fails with "Unable to locate package" once the lists were removed (as they
    should be). Updating in the same RUN keeps lists and install in step.

    ## Example
    ```dockerfile
    FROM debian:12-slim
    RUN apt-get update
    RUN apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 && rm -rf /var/lib/apt/lists/*
    ```

    Use instead:
    ```dockerfile
    FROM debian:12-slim
    RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 \
        && rm -rf /var/lib/apt/lists/*
    ```

    ## References
    - binnacle rule `ruleAptGetUpdatePrecedesInstall` (Henkel et al., ICSE 2020)
    """

    code = "SH046"
    name = "apt-install-without-update"
    severity = "warning"
    aliases = {"binnacle": ("ruleAptGetUpdatePrecedesInstall",)}

    def check_script(self, ctx, run) -> Iterator[Finding]:
        if caches_path(run.instruction, "/var/lib/apt/lists"):
            return
        updated = False
        for command in run.commands_named(APT):
            apt = run.invocation(command)
            if apt is None:
                continue
            if apt.subcommand == "update" or apt.is_install and apt.has("update"):
                # apt 3 (Debian trixie): 'install --update' refreshes the lists first
                updated = True
            elif apt.is_install and not updated and any(p.source == "registry" for p in apt.packages):
                yield Finding(run.command_span(command),
                              f"{command.name} install without {command.name} update earlier in this RUN uses stale or missing package lists",
                              hint=f"{command.name} update && {command.name} install … in one RUN")
                return
