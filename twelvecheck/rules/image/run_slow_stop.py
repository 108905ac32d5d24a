from __future__ import annotations

import os
from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.image._run import RunProbe, measured, recording, seconds, span_of


class RunSlowStop(RunProbe):
    """The process ignores its stop signal or takes long to exit on it (verify --run).

    ## What it does
    `verify --run` sends the image's STOPSIGNAL (SIGTERM without one; a compose service's
    `stop_signal`) once the app is ready, and measures the seconds to exit. A process still running
    when the grace period ends (`--stop-timeout`, 10 s like docker's) is killed and reported with
    the seconds; one that exits but slower than `slow-stop-seconds` is reported too. When
    pid 1 is a `/bin/sh -c` wrapper (shell form) with the real server as its child, the wrapper
    is named as the cause: the shell does not pass the signal on.

    ## Why is this bad?
    Every deploy and scale-down waits the full grace period and then kills the process hard, in
    the middle of whatever it was doing (factor IX: graceful shutdown on SIGTERM).

    ## Options
    - `slow-stop-seconds` (5): an exit slower than this after the signal is reported.

    ## Example
    ```files
    -- Dockerfile --
    FROM busybox
    CMD ["sh", "-c", "trap '' TERM; while :; do sleep 0.1; done"]
    ```

    Use instead:
    ```files
    -- Dockerfile --
    FROM busybox
    CMD ["sh", "-c", "trap 'exit 0' TERM; while :; do sleep 0.1; done"]
    ```

    ## References
    - [The Twelve-Factor App, IX. Disposability](https://12factor.net/disposability)
    - [docker stop](https://docs.docker.com/reference/cli/docker/container/stop/)
    """

    code = "IM011"
    name = "run-slow-stop"
    severity = "warning"
    factors = ("IX",)
    options = {"slow-stop-seconds": 5.0}

    def check(self, image) -> Iterator[Finding]:
        run = recording(image)
        if run is None or run.exited_early is not None or run.signalled is None:
            return
        slow = float(self.config["slow-stop-seconds"])
        if not run.killed and (run.stop_seconds or 0.0) <= slow:
            return
        span, line = span_of(image, "stop_signal") if image.config.config.stop_signal else span_of(image)
        cause = _wrapper_cause(run)
        if run.killed:
            what = f"still running {run.grace:g} s after {run.signal_name}; killed"
            took = run.grace
        else:
            what = f"exits {run.stop_seconds:.1f} s after {run.signal_name}"
            took = run.stop_seconds
        evidence = [measured(what, line, seconds=seconds(took), field="signal", value=run.signal_name)]
        if cause:
            evidence.append(measured(cause, line, pid=1))
        yield Finding(span, f"the container is {what}" + (f": {cause}" if cause else ""),
                      hint="handle the stop signal (exit when it comes) and start the server with exec or an "
                           "exec-form CMD so it is pid 1", evidence=tuple(evidence))


def _wrapper_cause(run) -> str:
    first = next((process for process in run.processes if process.pid == 1), None)
    if first is None or len(first.argv) < 2 or os.path.basename(first.argv[0]) not in ("sh", "bash", "ash", "dash") \
            or "-c" not in first.argv[1:2]:
        return ""
    children = [process for process in run.processes if process.ppid == 1]
    servers = [process for process in children if process.argv and os.path.basename(process.argv[0]) != "sleep"]
    if not servers:
        return ""
    child = servers[0]
    return (f"pid 1 is a shell ({' '.join(first.argv[:2])} …) that does not pass {run.signal_name} on to "
            f"{' '.join(child.argv)} (pid {child.pid})")
