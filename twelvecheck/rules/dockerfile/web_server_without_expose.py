from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules._verify import config_verdict
from twelvecheck.rules._commands import runs_web_server
from twelvecheck.rules.base import DockerfileRule
from twelvecheck.rules.dockerfile._startup import commands_at_start, final_chain


class WebServerWithoutExpose(DockerfileRule):
    """The image starts a web server but declares no port with `EXPOSE`.

    ## What it does
    Reports final images whose start command runs a web server (gunicorn, uvicorn, puma, nginx,
    `next start`, `node server.js`…) when no stage of the final image has `EXPOSE`.

    ## Why is this bad?
    Factor VII (port binding): the app is self-contained and exports its service by binding a
    port. `EXPOSE` documents that port for people, for `docker run -P` and for the platform.
    Documentation only, hence `info`.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app.wsgi"]
    ```

    Use instead:
    ```dockerfile
    FROM python:3.12-slim
    EXPOSE 8000
    CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app.wsgi"]
    ```
    """

    code = "DF214"
    name = "web-server-without-expose"
    severity = "info"
    factors = ("VII",)

    def check(self, ctx) -> Iterator[Finding]:
        if any(i.keyword == "EXPOSE" for stage in final_chain(ctx) for i in stage.instructions):
            return
        for start, command in commands_at_start(ctx):
            if runs_web_server(command):
                yield Finding(start.span(command), f"{start.origin} starts a web server ({command.name}) but the image exposes no port",
                              hint="add EXPOSE with the port the server binds", file=start.file)
                return

    def verify(self, finding: Finding, image):
        """Ports the base image exposes count."""
        ports = list(image.config.config.exposed_ports)
        return config_verdict(image, "exposed_ports", not ports, ports, "the image config exposes no port",
                              f"the image config exposes {ports}")
