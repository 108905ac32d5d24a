from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from twelvecheck.findings import Finding
from twelvecheck.rules.base import Rule


class SourceBindMountInProduction(Rule):
    """A production compose file that bind-mounts the service's source code over the image.

    ## What it does
    In compose files named for production (`docker-compose.prod.yml`, `compose.production.yaml`),
    flags bind mounts whose host path is the service's build context or a directory inside it.

    ## Why is this bad?
    Factor V (build, release, run) and X (dev/prod parity): production should run the release
    that was built, not whatever files sit on the server. A source mount replaces the image's code
    with an unversioned checkout.

    ## Example
    ```files
    -- compose.prod.yaml --
    services:
      app:
        build: .
        volumes: ["./:/app"]
    ```

    Use instead:
    ```files
    -- compose.prod.yaml --
    services:
      app:
        build: .
        image: registry.example.com/app:${RELEASE:?}
    ```
    """

    code = "DC021"
    name = "source-bind-mount-in-production"
    severity = "warning"
    factors = ("V", "X")
    kind = "compose"

    def check(self, ctx) -> Iterator[Finding]:
        if not ctx.is_production_file:
            return
        for service in ctx.services.values():
            if service.build is None or not Path(service.build.context).is_absolute():
                continue
            context = Path(service.build.context)
            for mount in service.volumes:
                if mount.type != "bind" or not mount.source:
                    continue
                source = (ctx.project.base_dir(mount.node) / mount.source).resolve()
                if source == context or context in source.parents:
                    yield ctx.finding(mount.node, f"service '{service.name}' mounts its source code ({mount.source}) in a production file",
                                      hint="run the built image; keep source mounts in the development override")
