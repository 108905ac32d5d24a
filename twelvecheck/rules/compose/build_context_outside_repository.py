from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from twelvecheck.findings import Finding
from twelvecheck.rules.base import Rule


class BuildContextOutsideRepository(Rule):
    """A service builds from a directory outside the repository (or a remote git context).

    ## What it does
    Flags `build.context` values that resolve outside the repository (`../other-repo`) and
    remote contexts (`https://github.com/…git#branch`). The repository is git's top level when
    the linted directory is inside a checkout (linting `services/api` still allows
    `context: ../../shared`), else the linted directory.

    ## Why is this bad?
    Factor I (codebase): one codebase per app, tracked in revision control. A build that pulls
    code from a sibling checkout or a remote branch builds something this repository's commit
    does not describe; two app codebases sharing code should share it as a dependency.

    ## Example
    ```yaml
    services:
      api:
        build: ../api-service
    ```

    Use instead:
    ```yaml
    services:
      api:
        image: registry.example.com/api-service:4.2
    ```
    """

    code = "DC029"
    name = "build-context-outside-repository"
    severity = "warning"
    factors = ("I",)
    kind = "compose"

    def check(self, ctx) -> Iterator[Finding]:
        root = ctx.repository_root
        if root not in ctx.main_file.parents:
            return
        for service in ctx.services.values():
            if service.build is None:
                continue
            context = Path(service.build.context)
            where = None
            if not context.is_absolute():
                where = f"the remote context {service.build.context}"
            elif context != root and root not in context.parents:
                where = f"{context} outside the repository"
            if where:
                yield ctx.finding_at(service.build.file, service.build.span, f"service '{service.name}' builds from {where}",
                                     hint="build from this repository, or use the other codebase's released image")
