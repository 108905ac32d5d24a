from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.shell._base import ShellRule
from twelvecheck.rules.shell._private import pinning_findings


class GemPackageUnpinned(ShellRule):
    """`gem install` of a gem without a version.

    ## What it does
    Flags `gem install NAME` without `NAME:version` or `-v VERSION`. Local `.gem` files are
    pinned by their content.

    ## Why is this bad?
    Without a version the build installs whatever the registry serves that day: two builds of
    the same file differ, a new release can break the image, and the layer cache hides when it
    changed.
    Factor II (dependencies): a dependency whose version is not declared is not really declared.

    ## Example
    ```dockerfile
    FROM ruby:3.3-slim
    RUN gem install bundler
    ```

    Use instead:
    ```dockerfile
    FROM ruby:3.3-slim
    RUN gem install bundler:2.5.22
    ```

    ## References
    - [hadolint DL3028](https://github.com/hadolint/hadolint/wiki/DL3028)
    """

    code = "SH010"
    name = "gem-package-unpinned"
    severity = "warning"
    factors = ("II",)
    aliases = {"hadolint": ("DL3028",)}
    commands = frozenset({"gem"})

    def check_command(self, ctx, run, command) -> Iterator[Finding]:
        yield from pinning_findings(ctx, run, command, "gem", "gem install <gem>:<version>")
