from __future__ import annotations

import fnmatch
from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules._verify import size
from twelvecheck.rules.image._run import RunProbe, measured, recording, span_of


def log_files(run, patterns) -> list:
    return [item for item in run.files if item.kind != "rewritten"
            and any(fnmatch.fnmatch(item.path, pattern) for pattern in patterns)]


class RunLogsToFiles(RunProbe):
    """The running process writes its logs to files instead of stdout/stderr (verify --run).

    ## What it does
    `verify --run` records every file the container creates or grows during the run (from the
    overlay over the image) and the bytes it writes to stdout and stderr. Files under `/var/log`
    or named `*.log` (the `patterns` option) are reported with their paths and sizes, beside the
    stdout/stderr byte counts.

    ## Why is this bad?
    Factor XI: an app writes its event stream to stdout; the platform collects, routes and keeps
    it. Log files inside a container fill its writable layer and vanish with it, and `docker logs`
    shows nothing.

    ## Options
    - `patterns` (`/var/log/*`, `*.log`): which written files count as logs.

    ## Example
    ```files
    -- Dockerfile --
    FROM busybox
    CMD ["sh", "-c", "mkdir -p /var/log/app; trap 'exit 0' TERM; while :; do echo tick >> /var/log/app/app.log; sleep 0.1; done"]
    ```

    Use instead:
    ```files
    -- Dockerfile --
    FROM busybox
    CMD ["sh", "-c", "trap 'exit 0' TERM; while :; do echo tick; sleep 0.1; done"]
    ```

    ## References
    - [The Twelve-Factor App, XI. Logs](https://12factor.net/logs)
    """

    code = "IM013"
    name = "run-logs-to-files"
    severity = "warning"
    factors = ("XI",)
    options = {"patterns": ["/var/log/*", "*.log"]}

    def check(self, image) -> Iterator[Finding]:
        run = recording(image)
        if run is None:
            return
        found = log_files(run, self.config["patterns"])
        if not found:
            return
        span, line = span_of(image)
        evidence = [measured(f"{item.path} {item.kind} during the run: {size(item.size)}", line, path=item.path,
                             bytes=item.size) for item in found[:10]]
        evidence.append(measured(f"stdout {run.stdout_bytes} B, stderr {run.stderr_bytes} B", line,
                                 bytes=run.stdout_bytes + run.stderr_bytes, field="stdout+stderr"))
        total = sum(item.size for item in found)
        yield Finding(span, f"the container writes logs to {len(found)} file(s) ({found[0].path}, {size(total)}) "
                            f"and {run.stdout_bytes + run.stderr_bytes} B to stdout/stderr",
                      hint="log to stdout/stderr (or symlink the log file to /dev/stdout)", evidence=tuple(evidence))
