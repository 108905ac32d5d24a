from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.shell._base import ShellRule
from twelvecheck.rules.shell._private import pinning_findings


class DnfPackageUnpinned(ShellRule):
    """`dnf install` of a package without a version.

    ## What it does
    Flags `dnf install` (and `microdnf install`) naming a package without `-version`; as for yum,
    the version starts at a dash followed by a digit, so `python3-pip` is still unpinned.

    ## Why is this bad?
    Without a version the build installs whatever the registry serves that day: two builds of
    the same file differ, a new release can break the image, and the layer cache hides when it
    changed.
    Factor II (dependencies): a dependency whose version is not declared is not really declared.

    ## Example
    ```dockerfile
    FROM fedora:40
    RUN dnf install -y nginx && dnf clean all
    ```

    Use instead:
    ```dockerfile
    FROM fedora:40
    RUN dnf install -y nginx-1.26.1 && dnf clean all
    ```

    ## References
    - [hadolint DL3041](https://github.com/hadolint/hadolint/wiki/DL3041)
    """

    code = "SH013"
    name = "dnf-package-unpinned"
    severity = "warning"
    factors = ("II",)
    aliases = {"hadolint": ("DL3041",)}
    commands = frozenset({"dnf", "microdnf", "tdnf"})

    def check_command(self, ctx, run, command) -> Iterator[Finding]:
        yield from pinning_findings(ctx, run, command, command.name, "dnf install <package>-<version>")
