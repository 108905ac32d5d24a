from __future__ import annotations

import re
from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules._commands import fixed_port
from twelvecheck.rules.base import DockerfileRule
from twelvecheck.rules.context import env_pairs
from twelvecheck.rules.dockerfile._startup import commands_at_start, final_chain
from twelvecheck.lazy_re import lazy_compile

PORT_VARIABLE = lazy_compile(r"(^|_)PORT$", re.IGNORECASE)


class PortNotConfigurable(DockerfileRule):
    """The start command binds a hard-coded port and the image names no port variable.

    ## What it does
    Reports a start command (CMD, ENTRYPOINT, entrypoint script) that binds a literal port
    (`--bind 0.0.0.0:8000`, `--port 3000`, `runserver 0.0.0.0:8000`, `-Dserver.port=8080`,
    `php -S 0.0.0.0:8080`) when no stage of the final image sets an `ENV` named `PORT` or
    `…_PORT`. `--port ${PORT:-8000}` is configurable and not reported. `-p`/`--port` count for
    web servers only.

    ## Why is this bad?
    Factor VII (port binding) and III (config): the platform chooses the port (Heroku, Cloud
    Run, Knative and many PaaS set `PORT`); the app binds what the environment says, with a
    default for local runs. A literal port in the command is config baked into the image.
    Often harmless behind compose or Kubernetes port mapping, hence `info`.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    EXPOSE 8000
    CMD gunicorn --bind 0.0.0.0:8000 app.wsgi
    ```

    Use instead:
    ```dockerfile
    FROM python:3.12-slim
    ENV PORT=8000
    EXPOSE 8000
    CMD exec gunicorn --bind "0.0.0.0:${PORT}" app.wsgi
    ```
    """

    code = "DF218"
    name = "port-not-configurable"
    severity = "info"
    factors = ("VII", "III")

    def check(self, ctx) -> Iterator[Finding]:
        if any(PORT_VARIABLE.search(key) for stage in final_chain(ctx) for i in stage.instructions
               if i.keyword == "ENV" for key, _ in env_pairs(i)):
            return
        said = set()
        for start, command in commands_at_start(ctx):
            bound = fixed_port(command)
            # 'exec gunicorn -b …': the wrapper and the command it runs bind the same port
            if bound and (start.file, start.span(command).line, bound) not in said:
                said.add((start.file, start.span(command).line, bound))
                option, port = bound
                yield Finding(start.span(command), f"{start.origin} binds the fixed port {port} ({option}); the environment cannot choose it",
                              hint="read the port from a variable with a default: --bind 0.0.0.0:${PORT:-8000}", file=start.file)
