from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules._verify import config_verdict
from twelvecheck.rules.base import DockerfileRule
from twelvecheck.rules.context import env_pairs
from twelvecheck.rules.dockerfile._startup import commands_at_start, final_chain

PYTHON_PROGRAMS = ("python", "gunicorn", "uvicorn", "celery", "hypercorn", "daphne", "flask", "django-admin")


class PythonOutputBuffered(DockerfileRule):
    """A Python app whose stdout is block-buffered (no `PYTHONUNBUFFERED`, no `python -u`).

    ## What it does
    Reports final images that start a Python program when no stage sets `PYTHONUNBUFFERED` to a
    non-empty value and the command does not pass `-u`.

    ## Why is this bad?
    Factor XI (logs): logs are an event stream. Without a terminal, Python buffers stdout in
    blocks, so log lines arrive late, in bursts, or are lost when the container is killed.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    CMD ["python", "worker.py"]
    ```

    Use instead:
    ```dockerfile
    FROM python:3.12-slim
    ENV PYTHONUNBUFFERED=1
    CMD ["python", "worker.py"]
    ```
    """

    code = "DF215"
    name = "python-output-buffered"
    severity = "info"
    factors = ("XI",)

    def check(self, ctx) -> Iterator[Finding]:
        if _sets_unbuffered(ctx):
            return
        for start, command in commands_at_start(ctx):
            name = command.name
            if name.startswith(PYTHON_PROGRAMS) and "-u" not in command.args:
                yield Finding(start.span(command), f"{start.origin} starts {name} with block-buffered output",
                              hint="set ENV PYTHONUNBUFFERED=1 (or run python -u)", file=start.file)
                return

    def verify(self, finding: Finding, image):
        """PYTHONUNBUFFERED set by the base image counts."""
        value = image.config.config.env_map().get("PYTHONUNBUFFERED", "")
        return config_verdict(image, "env", not value, f"PYTHONUNBUFFERED={value}" if value else None,
                              "the image config's Env has no PYTHONUNBUFFERED",
                              f"the image config's Env sets PYTHONUNBUFFERED={value}")


def _sets_unbuffered(ctx) -> bool:
    return any(key == "PYTHONUNBUFFERED" and value.strip("\"'")
               for stage in final_chain(ctx) for i in stage.instructions if i.keyword == "ENV"
               for key, value in env_pairs(i))
