from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.shell._base import ShellRule
from twelvecheck.rules.shell._private import pinning_findings


class GoPackageUnpinned(ShellRule):
    """`go install`, `go get` or `go run` of a module without a version.

    ## What it does
    Flags `go install`, `go get` and `go run` of a module path without `@version` (or with
    `@latest`, `@upgrade`, `@patch` or a branch name). Local packages (`.`, `./cmd/...`,
    `/src/x`, `main.go`) are built from the context and are not flagged.

    ## Why is this bad?
    Without a version the build installs whatever the registry serves that day: two builds of
    the same file differ, a new release can break the image, and the layer cache hides when it
    changed.
    Factor II (dependencies): a dependency whose version is not declared is not really declared.

    ## Example
    ```dockerfile
    FROM golang:1.23
    RUN go install golang.org/x/tools/gopls@latest
    ```

    Use instead:
    ```dockerfile
    FROM golang:1.23
    RUN go install golang.org/x/tools/gopls@v0.16.2
    RUN go install ./cmd/server
    ```

    ## References
    - [hadolint DL3062](https://github.com/hadolint/hadolint/wiki/DL3062)
    """

    code = "SH014"
    name = "go-package-unpinned"
    severity = "warning"
    factors = ("II",)
    aliases = {"hadolint": ("DL3062",)}
    commands = frozenset({"go"})

    def check_command(self, ctx, run, command) -> Iterator[Finding]:
        yield from pinning_findings(ctx, run, command, "go", "go install <module>@<version>")
