from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import Rule
from twelvecheck.rules.repository_context import RepositoryContext
from twelvecheck.parse.words import bounded_int


class ListenPortNotPublished(Rule):
    """The code listens on a port that neither EXPOSE nor compose publishes.

    ## What it does
    Finds the port the application listens on when the code says it literally
    (`app.run(port=5000)`, `app.listen(3000)`, `ListenAndServe(":8080", …)`, or the default of a
    `PORT` lookup such as `os.environ.get("PORT", "5000")`) and compares it with the ports the
    final image EXPOSEs and the container ports of the compose services built from that
    Dockerfile. Only checked when those publish at least one port (a Dockerfile that exposes
    nothing is DF-rule territory). Code facts come from per-language patterns: partial.

    ## Why is this bad?
    Factor VII: the app exports its service by binding to a port, and the container
    declares that port. When the code listens on 5000 while the image says 8000, the service
    is unreachable, and health checks and load balancers probe a port nobody answers.

    ## Example
    ```files
    -- Dockerfile --
    FROM python:3.12-slim
    EXPOSE 8000
    -- app.py --
    app.run(host="0.0.0.0", port=5000)
    ```

    Use instead:
    ```files
    -- Dockerfile --
    FROM python:3.12-slim
    EXPOSE 5000
    -- app.py --
    app.run(host="0.0.0.0", port=5000)
    ```
    """

    code = "AP201"
    name = "listen-port-not-published"
    severity = "warning"
    factors = ("VII",)
    kind = "repository"

    def check(self, ctx: RepositoryContext) -> Iterator[Finding]:
        for app in ctx.applications:
            published = app.published_ports
            for fact in app.facts:
                if fact.kind == "port" and published and bounded_int(fact.value) not in published:
                    shown = ", ".join(map(str, sorted(published)))
                    yield Finding(fact.span, f"the code listens on port {fact.value}, but {app.dockerfile} and its "
                                             f"compose services publish {shown}",
                                  hint="make EXPOSE and compose ports match the port the app binds (read it from PORT)",
                                  file=fact.file)
