from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.image._run import RunProbe, measured, recording, seconds, span_of


class RunDoesNotStart(RunProbe):
    """The image's process ends on its own right after starting (verify --run).

    ## What it does
    `verify --run` starts ENTRYPOINT + CMD in the sandbox. When the process exits before the
    probes stop it, with a non-zero status (a missing binary, a wrong architecture, a crash, a
    limit reached) or without any command at all, this reports the exit status, the seconds it
    ran and the last lines it printed. A compose service whose backing services (`depends_on`)
    are absent on purpose is expected to fail fast: that is reported as a note, not a finding.

    ## Why is this bad?
    An image that does not start is not disposable (factor IX): the orchestrator restarts it in
    a loop. Finding it in CI costs a second; finding it in production costs an outage.

    ## Example
    ```files
    -- Dockerfile --
    FROM busybox
    CMD ["/app/server"]
    ```

    Use instead:
    ```files
    -- Dockerfile --
    FROM busybox
    CMD ["sh", "-c", "trap 'exit 0' TERM; while :; do sleep 0.1; done"]
    ```

    ## References
    - [The Twelve-Factor App, IX. Disposability](https://12factor.net/disposability)
    """

    code = "IM010"
    name = "run-does-not-start"
    severity = "error"
    factors = ("IX",)

    def check(self, image) -> Iterator[Finding]:
        run = recording(image)
        if run is None or run.exited_early is None:
            return
        if run.backing and run.status not in (None, 0):
            return  # fails fast without its backing services, as it should (a note says so)
        if run.status == 0 and run.argv:
            return  # a one-shot command that finished
        span, line = span_of(image)
        last = " | ".join(run.tail[-3:]) or "no output"
        limits = f"; it reached the {' and '.join(run.limits_hit)} limit ({run.enforcement})" if run.limits_hit else ""
        status = "no command" if run.status is None else f"status {run.status}"
        proof = measured(f"exited with {status} after {run.exited_early:.2f} s{limits}; last output: {last}", line,
                         seconds=seconds(run.exited_early), value=run.status, field="exit_status",
                         output=list(run.tail))
        yield Finding(span, f"the container exits with {status} {run.exited_early:.1f} s after it starts: {last}",
                      hint="run the image's command by hand in the image and fix what its output says",
                      evidence=(proof,))
