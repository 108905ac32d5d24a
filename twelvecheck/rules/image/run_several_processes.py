from __future__ import annotations

import os
from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.image._run import RunProbe, measured, recording, span_of

SUPERVISORS = frozenset({"supervisord", "s6-svscan", "s6-supervise", "runsvdir", "runsv", "circusd", "pm2",
                         "pm2-runtime", "forever", "monit", "honcho", "foreman"})
CRON = frozenset({"cron", "crond", "anacron", "fcron", "cronie", "supercronic"})


INTERPRETERS = ("busybox", "sh", "bash", "ash", "dash", "python", "python3", "node", "perl", "ruby")


def program(argv: tuple[str, ...]) -> str:
    """The program's name: ``busybox crond``, ``/usr/bin/python3 /usr/bin/supervisord`` and a
    script started through its ``#!`` line (``/bin/sh /usr/bin/supervisord``) name theirs second."""
    if not argv:
        return ""
    name = os.path.basename(argv[0])
    interpreter = name in INTERPRETERS or name.startswith("python")
    if interpreter and len(argv) > 1 and not argv[1].startswith("-"):
        return os.path.basename(argv[1])
    return name


class RunSeveralProcesses(RunProbe):
    """One container runs a process supervisor, a cron daemon or several servers (verify --run).

    ## What it does
    `verify --run` reads the container's process tree once the app has settled (from `/proc`
    of its pid namespace) and the process holding each listening socket. It reports a supervisor
    (supervisord, s6, runit, pm2, circus, monit…), a cron daemon, or listening sockets held by
    two or more processes of which none started the other.

    ## Why is this bad?
    Factor VIII: scale out by running more processes of each type, one type per container; the
    platform is the supervisor. A supervisor inside hides crashes from the orchestrator, a cron
    daemon runs its jobs once per replica, and two servers cannot be scaled apart.

    ## Example
    ```files
    -- Dockerfile --
    FROM busybox
    CMD ["sh", "-c", "httpd -p 8080; httpd -p 8081; trap 'exit 0' TERM; while :; do sleep 0.1; done"]
    ```

    Use instead:
    ```files
    -- Dockerfile --
    FROM busybox
    CMD ["httpd", "-f", "-p", "8080"]
    ```

    ## References
    - [The Twelve-Factor App, VIII. Concurrency](https://12factor.net/concurrency)
    """

    code = "IM015"
    name = "run-several-processes"
    severity = "warning"
    factors = ("VIII",)

    def check(self, image) -> Iterator[Finding]:
        run = recording(image)
        if run is None or run.exited_early is not None:
            return
        span, line = span_of(image)
        for process in run.processes:
            name = program(process.argv)
            kind = "a process supervisor" if name in SUPERVISORS else "a cron daemon" if name in CRON else ""
            if kind:
                proof = measured(f"pid {process.pid}: {' '.join(process.argv)}", line, pid=process.pid,
                                 value=list(process.argv), field="argv")
                yield Finding(span, f"the container runs {kind} ({name}, pid {process.pid})",
                              hint="run one process type per container and let the platform supervise and schedule",
                              evidence=(proof,))
        servers = _independent_servers(run)
        if len(servers) > 1:
            evidence = tuple(measured(f"pid {item.pid} ({' '.join(item.argv[:4])}) listens on {item.proto} {item.port}",
                                      line, pid=item.pid, port=item.port) for item in servers)
            ports = ", ".join(str(item.port) for item in servers)
            yield Finding(span, f"the container runs {len(servers)} servers (ports {ports})",
                          hint="one server per container: split them into services that scale apart",
                          evidence=evidence)


def _independent_servers(run) -> list:
    parents = {process.pid: process.ppid for process in run.processes}

    def ancestors(pid: int) -> set[int]:
        seen = set()
        while pid in parents and pid not in seen:
            seen.add(pid)
            pid = parents[pid]
        return seen

    owners: dict[int, object] = {}
    for item in run.listeners:
        if item.pid is not None:
            owners.setdefault(item.pid, item)
    return [item for pid, item in owners.items()
            if not any(other != pid and other in ancestors(pid) for other in owners)]
