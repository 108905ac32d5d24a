from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.shell._base import ShellRule
from twelvecheck.rules.shell._private import pinning_findings


class YumPackageUnpinned(ShellRule):
    """`yum install` of a package without a version.

    ## What it does
    Flags `yum install` naming a package without `-version` (`httpd-2.4.6`). Unlike hadolint,
    a dash inside the name (`python3-pip`) is not a version: the version starts at a dash followed
    by a digit. `@group` names and `.rpm` files are not flagged.

    ## Why is this bad?
    Without a version the build installs whatever the registry serves that day: two builds of
    the same file differ, a new release can break the image, and the layer cache hides when it
    changed.
    Factor II (dependencies): a dependency whose version is not declared is not really declared.

    ## Example
    ```dockerfile
    FROM centos:7
    RUN yum install -y httpd && yum clean all
    ```

    Use instead:
    ```dockerfile
    FROM centos:7
    RUN yum install -y httpd-2.4.6 && yum clean all
    ```

    ## References
    - [hadolint DL3033](https://github.com/hadolint/hadolint/wiki/DL3033)
    """

    code = "SH011"
    name = "yum-package-unpinned"
    severity = "warning"
    factors = ("II",)
    aliases = {"hadolint": ("DL3033",)}
    commands = frozenset({"yum"})

    def check_command(self, ctx, run, command) -> Iterator[Finding]:
        yield from pinning_findings(ctx, run, command, "yum", "yum install <package>-<version>")
