from __future__ import annotations

from twelvecheck.rules._commands import line_of, runs_dev_server
from twelvecheck.rules.dockerfile._startup import StartCommandRule, is_development_image


class DevServerAsCommand(StartCommandRule):
    """A development server (`npm run dev`, `flask run`, `runserver`, `--reload`) as the image's command.

    ## What it does
    Flags development servers and file watchers in the final image's start command or
    entrypoint scripts. Development images are skipped: Dockerfiles named for development
    (`Dockerfile.dev`) and files whose final stage is (`FROM builder AS dev-envs`, `AS
    development`, the pattern of docker/awesome-compose's samples). Build such a file with
    `--target` for release, and name the release stage last.

    ## Why is this bad?
    Factor V (build, release, run) and X (dev/prod parity): dev servers rebuild on file change,
    serve unoptimised assets, enable debuggers and are single-threaded. The release should run
    what production runs.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    COPY . /app
    CMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]
    ```

    Use instead:
    ```dockerfile
    FROM python:3.12-slim
    COPY . /app
    CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app.wsgi"]
    ```
    """

    code = "DF201"
    name = "dev-server-as-command"
    severity = "warning"
    factors = ("V", "X")
    hint = "run a production server (gunicorn, node server.js, puma...) and keep dev servers in a dev Dockerfile or override"

    def check(self, ctx):
        if is_development_image(ctx):
            return iter(())
        return super().check(ctx)

    def judge(self, command):
        return f"runs a development server: {line_of(command)}" if runs_dev_server(command) else None
