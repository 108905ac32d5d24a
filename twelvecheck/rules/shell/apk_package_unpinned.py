from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.shell._base import ShellRule
from twelvecheck.rules.shell._private import pinning_findings


class ApkPackageUnpinned(ShellRule):
    """`apk add` of a package without a version.

    ## What it does
    Flags `apk add` naming a package without `=version` or `~version` (a fuzzy version such as
    `curl~8` also pins). `>`/`<` only bound the version and are not pins; `.apk` files and the
    `--virtual` name are not packages.

    ## Why is this bad?
    Without a version the build installs whatever the registry serves that day: two builds of
    the same file differ, a new release can break the image, and the layer cache hides when it
    changed.
    Factor II (dependencies): a dependency whose version is not declared is not really declared.

    ## Example
    ```dockerfile
    FROM alpine:3.20
    RUN apk add --no-cache curl
    ```

    Use instead:
    ```dockerfile
    FROM alpine:3.20
    RUN apk add --no-cache curl=8.9.1-r0
    ```

    ## References
    - [hadolint DL3018](https://github.com/hadolint/hadolint/wiki/DL3018)
    """

    code = "SH009"
    name = "apk-package-unpinned"
    severity = "warning"
    factors = ("II",)
    aliases = {"hadolint": ("DL3018",)}
    commands = frozenset({"apk"})

    def check_command(self, ctx, run, command) -> Iterator[Finding]:
        yield from pinning_findings(ctx, run, command, "apk", "apk add <package>=<version>")
