from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.shell._base import ShellRule
from twelvecheck.rules.shell._private import pinning_findings


class ZypperPackageUnpinned(ShellRule):
    """`zypper install` of a package without a version.

    ## What it does
    Flags `zypper install` naming a package without `=version`; ranges (`>=`, `<`) only bound
    the version. `.rpm` files are not flagged.

    ## Why is this bad?
    Without a version the build installs whatever the registry serves that day: two builds of
    the same file differ, a new release can break the image, and the layer cache hides when it
    changed.
    Factor II (dependencies): a dependency whose version is not declared is not really declared.

    ## Example
    ```dockerfile
    FROM opensuse/leap:15.6
    RUN zypper install -y nginx && zypper clean
    ```

    Use instead:
    ```dockerfile
    FROM opensuse/leap:15.6
    RUN zypper install -y nginx=1.21.5 && zypper clean
    ```

    ## References
    - [hadolint DL3037](https://github.com/hadolint/hadolint/wiki/DL3037)
    """

    code = "SH012"
    name = "zypper-package-unpinned"
    severity = "warning"
    factors = ("II",)
    aliases = {"hadolint": ("DL3037",)}
    commands = frozenset({"zypper"})

    def check_command(self, ctx, run, command) -> Iterator[Finding]:
        yield from pinning_findings(ctx, run, command, "zypper", "zypper install <package>=<version>")
