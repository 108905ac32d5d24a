from __future__ import annotations

from twelvecheck.rules._commands import runs_supervisor, started_service
from twelvecheck.rules.dockerfile._startup import StartCommandRule


class ProcessSupervisorInImage(StartCommandRule):
    """A process supervisor (supervisord, runit, s6, circus) as the container's main process.

    ## What it does
    Flags `supervisord`, `runsvdir`, `s6-svscan`, s6-overlay's `/init`, `circusd` and similar in
    CMD, ENTRYPOINT or entrypoint scripts, also started through an init script
    (`service supervisor start`). When none of those is seen starting one, a supervisor
    the final image installs (`supervisor`, `runit`, `s6`, `daemontools`, `monit` from the system
    package manager, `supervisor`/`circus` from pip, `pm2`/`forever` from npm or yarn) is
    reported instead, as info: a start this file does not show may run it.

    ## Why is this bad?
    Factor VIII (concurrency): each process type is scaled on its own by the platform. A
    supervisor packs several process types into one container, so they scale, restart, log and
    fail together, and the platform sees one healthy container while a child is dead.

    ## Example
    ```dockerfile
    FROM debian:12-slim
    COPY supervisord.conf /etc/supervisor/supervisord.conf
    CMD ["supervisord", "-n"]
    ```

    Use instead:
    ```dockerfile
    FROM debian:12-slim
    CMD ["/usr/local/bin/web"]
    ```
    """

    code = "DF202"
    name = "process-supervisor-in-image"
    severity = "warning"
    factors = ("VIII",)
    hint = "run one process type per container and let compose or the orchestrator supervise"
    daemon = "process supervisor"
    install_hint = "run one process type per container and leave the supervisor out of the image"

    def judge(self, command):
        return f"runs the process supervisor '{started_service(command) or command.name}'" if runs_supervisor(command) else None
