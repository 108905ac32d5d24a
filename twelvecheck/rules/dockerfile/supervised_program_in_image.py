from __future__ import annotations

import re
from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.parse.model import Span
from twelvecheck.rules.base import DockerfileRule
from twelvecheck.rules.dockerfile._copied import copied_files
from twelvecheck.lazy_re import lazy_compile

PROGRAM = lazy_compile(r"^[ \t]*\[program:([^\]]+)\]", re.MULTILINE)


class SupervisedProgramInImage(DockerfileRule):
    """A supervisord configuration copied into the image defines the programs it runs.

    ## What it does
    Reads supervisord `.conf` files the final image copies from the build context (into a
    `supervisor` directory, or named `supervisord*.conf`) and reports each `[program:name]`
    section at its line, in the configuration file, when the file defines more than one.

    ## Why is this bad?
    Factor VIII (concurrency): each process type (web, worker, scheduler) is scaled on its own
    by running more containers of it. Programs under supervisord scale together, restart
    behind the platform's back and log to files; each should be its own service running the
    same image with another command.

    ## Example
    ```files
    -- supervisord.conf --
    [program:web]
    command=gunicorn app.wsgi

    [program:worker]
    command=celery -A app worker
    -- Dockerfile --
    FROM python:3.12-slim
    COPY supervisord.conf /etc/supervisor/conf.d/app.conf
    CMD ["supervisord", "-n"]
    ```

    Use instead:
    ```dockerfile
    FROM python:3.12-slim
    CMD ["gunicorn", "app.wsgi"]
    ```
    """

    code = "DF221"
    name = "supervised-program-in-image"
    severity = "warning"
    factors = ("VIII",)

    def check(self, ctx) -> Iterator[Finding]:
        for copied in copied_files(ctx, _is_supervisor_config):
            programs = list(PROGRAM.finditer(copied.text))
            if len(programs) < 2:
                continue
            for match in programs:
                line = copied.text.count("\n", 0, match.start()) + 1
                yield Finding(Span(line, 1, line, len(match.group(0).strip()) + 1),
                              f"supervisord runs the program '{match.group(1)}' beside {len(programs) - 1} other(s) in one container",
                              hint="run each process type as its own service from the same image", file=copied.display)


def _is_supervisor_config(name: str, destination: str) -> bool:
    return name.endswith(".conf") and ("supervisor" in destination.lower() or name.lower().startswith("supervisor"))
