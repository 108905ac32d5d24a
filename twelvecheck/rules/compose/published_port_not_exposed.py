from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import Rule
from twelvecheck.parse.words import bounded_int


def exposed_ports(dockerfile) -> set[int] | None:
    """Ports the Dockerfile EXPOSEs (None when it has no EXPOSE or uses variables)."""
    ports: set[int] = set()
    for instruction in dockerfile.instructions:
        if instruction.keyword != "EXPOSE":
            continue
        for word in instruction.args:
            number = word.split("/")[0]
            value = bounded_int(number)
            if value is None:
                return None
            ports.add(value)
    return ports or None


class PublishedPortNotExposed(Rule):
    """A service publishes a container port its Dockerfile does not EXPOSE.

    ## What it does
    For services with `build:`, compares each `ports` target with the `EXPOSE` ports of the
    Dockerfile it builds and reports targets the image does not declare (when it declares some).

    ## Why is this bad?
    Factor VII (port binding): the port is the app's contract. A mismatch usually means one
    side changed: the mapping points at a port nothing listens on.

    ## Example
    ```files
    -- Dockerfile --
    FROM python:3.12-slim
    EXPOSE 8000
    -- compose.yaml --
    services:
      web: {build: ., ports: ["80:8080"]}
    ```

    Use instead:
    ```files
    -- Dockerfile --
    FROM python:3.12-slim
    EXPOSE 8000
    -- compose.yaml --
    services:
      web: {build: ., ports: ["80:8000"]}
    ```
    """

    code = "DC030"
    name = "published-port-not-exposed"
    severity = "info"
    factors = ("VII",)
    kind = "compose"

    def check(self, ctx) -> Iterator[Finding]:
        for service in ctx.services.values():
            link = ctx.build_link(service)
            exposed = exposed_ports(link.dockerfile) if link is not None and link.dockerfile is not None else None
            if exposed is None:
                continue
            for port in service.ports:
                if port.target.start == port.target.end and port.target.start not in exposed:
                    yield ctx.finding(port.node, f"service '{service.name}' publishes container port {port.target} but its Dockerfile exposes {', '.join(map(str, sorted(exposed)))}",
                                      hint="publish the port the app listens on, or fix EXPOSE")
