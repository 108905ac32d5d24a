from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.shell._base import ShellRule
from twelvecheck.rules.shell._private import pinning_findings


class NpmPackageUnpinned(ShellRule):
    """`npm install` of a package without a version.

    ## What it does
    Flags `npm install NAME` without `@version`. `npm install` / `npm ci` of the project's own
    lock file, tarballs, folders and git URLs are not flagged. The dist-tags `@latest` and `@next`
    move, so they do not pin.

    ## Why is this bad?
    Without a version the build installs whatever the registry serves that day: two builds of
    the same file differ, a new release can break the image, and the layer cache hides when it
    changed.
    Factor II (dependencies): a dependency whose version is not declared is not really declared.

    ## Example
    ```dockerfile
    FROM node:22-slim
    RUN npm install -g typescript
    ```

    Use instead:
    ```dockerfile
    FROM node:22-slim
    RUN npm install -g typescript@5.6.3
    ```

    ## References
    - [hadolint DL3016](https://github.com/hadolint/hadolint/wiki/DL3016)
    """

    code = "SH008"
    name = "npm-package-unpinned"
    severity = "warning"
    factors = ("II",)
    aliases = {"hadolint": ("DL3016",)}
    commands = frozenset({"npm"})

    def check_command(self, ctx, run, command) -> Iterator[Finding]:
        yield from pinning_findings(ctx, run, command, "npm", "npm install <package>@<version>")
