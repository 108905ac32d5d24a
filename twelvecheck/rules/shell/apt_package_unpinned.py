from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.shell._base import ShellRule
from twelvecheck.rules.shell._private import pinning_findings


class AptPackageUnpinned(ShellRule):
    r"""`apt-get install` of a package without a version.

    ## What it does
    Flags `apt-get install` (and `apt install`) naming a package without `=version`. A local `.deb`
    file is pinned by its content; `pkg/release` only picks a suite and is still unpinned. Packages
    held in `$VARIABLES` are judged when the ARG, ENV or an earlier `NAME=value` of the same RUN
    gives their value, and skipped when it is unknown.

    ## Why is this bad?
    Without a version the build installs whatever the registry serves that day: two builds of
    the same file differ, a new release can break the image, and the layer cache hides when it
    changed.
    Factor II (dependencies): a dependency whose version is not declared is not really declared.

    ## Example
    ```dockerfile
    FROM debian:12-slim
    RUN apt-get update && apt-get install -y --no-install-recommends curl \
        && rm -rf /var/lib/apt/lists/*
    ```

    Use instead:
    ```dockerfile
    FROM debian:12-slim
    RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 \
        && rm -rf /var/lib/apt/lists/*
    ```

    ## References
    - [hadolint DL3008](https://github.com/hadolint/hadolint/wiki/DL3008)
    """

    code = "SH006"
    name = "apt-package-unpinned"
    severity = "warning"
    factors = ("II",)
    aliases = {"hadolint": ("DL3008",)}
    commands = frozenset({"apt-get", "apt"})

    def check_command(self, ctx, run, command) -> Iterator[Finding]:
        yield from pinning_findings(ctx, run, command, command.name, "apt-get install <package>=<version>")
