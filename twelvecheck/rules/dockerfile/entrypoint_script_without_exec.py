from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import DockerfileRule
from twelvecheck.rules.dockerfile._startup import startup_scripts

WRAPPERS_THAT_EXEC = frozenset({"exec", "gosu", "su-exec", "tini", "dumb-init", "chpst", "setpriv", "s6-setuidgid"})
NOT_A_PROCESS = frozenset({"echo", "printf", "set", "export", "true", "false", ":", "exit", "return", "cd", "shift",
                           "fi", "test", "[", "[[", "wait", "sleep", "trap", "unset", "local", "source", ".", "eval"})


class EntrypointScriptWithoutExec(DockerfileRule):
    """An entrypoint script that starts the app without `exec`, so the shell stays PID 1.

    ## What it does
    Reads the entrypoint scripts the image copies from the build context and flags those whose
    last top-level command starts a program (often `"$@"`) without `exec`.

    ## Why is this bad?
    Factor IX (disposability): the shell stays PID 1 and does not forward SIGTERM, so the app
    never hears it is being stopped, gets killed after the grace period, and loses in-flight
    work.

    ## Example
    ```files
    -- Dockerfile --
    FROM alpine:3.20
    COPY docker-entrypoint.sh /usr/local/bin/
    ENTRYPOINT ["docker-entrypoint.sh"]
    CMD ["app"]
    -- docker-entrypoint.sh --
    #!/bin/sh
    ./wait-for-db
    "$@"
    ```

    Use instead:
    ```files
    -- Dockerfile --
    FROM alpine:3.20
    COPY docker-entrypoint.sh /usr/local/bin/
    ENTRYPOINT ["docker-entrypoint.sh"]
    CMD ["app"]
    -- docker-entrypoint.sh --
    #!/bin/sh
    ./wait-for-db
    exec "$@"
    ```
    """

    code = "DF208"
    name = "entrypoint-script-without-exec"
    severity = "warning"
    factors = ("IX",)

    def check(self, ctx) -> Iterator[Finding]:
        for start in startup_scripts(ctx):
            if not start.file:
                continue
            top_level = [c for c in start.script if c.depth == 0 and c.wrapped_by is None and not c.in_subshell and c.argv]
            if not top_level:
                continue
            last = top_level[-1]
            if last.name in WRAPPERS_THAT_EXEC or last.name in NOT_A_PROCESS or last.background or last.pipeline_length > 1:
                continue
            yield Finding(start.span(last), f"{start.origin} runs '{last.argv[0].raw}' without exec: the shell stays PID 1",
                          hint="start the final program with exec so it receives SIGTERM", file=start.file)
