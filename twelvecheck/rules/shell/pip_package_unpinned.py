from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.shell._base import ShellRule
from twelvecheck.rules.shell._private import pinning_findings


class PipPackageUnpinned(ShellRule):
    """`pip install` of a package without a version.

    ## What it does
    Flags `pip install` (however pip is launched: `pip3`, `python -m pip`) naming a package with no
    version specifier. Requirement files (`-r`), constraints (`-c`), local paths (`.`, `./pkg`),
    wheels, archives, URLs and VCS links are not unpinned packages.

    ## Why is this bad?
    Without a version the build installs whatever the registry serves that day: two builds of
    the same file differ, a new release can break the image, and the layer cache hides when it
    changed.
    Factor II (dependencies): a dependency whose version is not declared is not really declared.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    RUN pip install --no-cache-dir flask
    ```

    Use instead:
    ```dockerfile
    FROM python:3.12-slim
    RUN pip install --no-cache-dir flask==3.0.3
    RUN pip install --no-cache-dir -r requirements.txt
    ```

    ## References
    - [hadolint DL3013](https://github.com/hadolint/hadolint/wiki/DL3013)
    """

    code = "SH007"
    name = "pip-package-unpinned"
    severity = "warning"
    factors = ("II",)
    aliases = {"hadolint": ("DL3013",)}
    commands = frozenset()

    def check_command(self, ctx, run, command) -> Iterator[Finding]:
        yield from pinning_findings(ctx, run, command, "pip", "pip install <package>==<version>, or a requirements file")
