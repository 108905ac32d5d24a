from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from twelvecheck.findings import Finding
from twelvecheck.rules._commands import is_init_process, line_of, runs_package_script
from twelvecheck.rules.base import DockerfileRule
from twelvecheck.rules.dockerfile._startup import commands_at_start


class ProcessTreeWithoutInit(DockerfileRule):
    """The start command spawns child processes and no init reaps them or forwards signals.

    ## What it does
    Reports a final image whose start runs a process tree, either a package manager running
    the app as its child (`npm start`, `yarn start`, `pnpm run serve`) or a script that sends
    processes to the background (`worker & exec web`), when neither ENTRYPOINT nor CMD starts
    an init (`tini`, `dumb-init`, `catatonit`, s6-overlay's `/init`) and no compose file beside
    the Dockerfile (or one directory up) runs the service building it with `init: true`.
    `docker run --init` cannot be seen from the repository: suppress the finding where that is
    how the image runs.

    ## Why is this bad?
    Factor IX (disposability): PID 1 gets the platform's SIGTERM and must pass it on, and it
    must reap orphaned children. npm does neither reliably (the app is a grandchild under
    `sh -c`), a shell script does neither; the container then waits out the grace period and is
    killed, and zombies pile up.

    ## Example
    ```dockerfile
    FROM node:20-slim
    CMD ["npm", "start"]
    ```

    Use instead:
    ```dockerfile
    FROM node:20-slim
    RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*
    ENTRYPOINT ["/usr/bin/tini", "--"]
    CMD ["node", "server.js"]
    ```
    """

    code = "DF219"
    name = "process-tree-without-init"
    severity = "info"
    factors = ("IX",)

    def check(self, ctx) -> Iterator[Finding]:
        starts = list(commands_at_start(ctx))
        if any(is_init_process(command) for _, command in starts):
            return
        for start, command in starts:
            reason = _spawns(command)
            if reason and not _compose_runs_with_init(ctx):
                yield Finding(start.span(command), f"{start.origin} {reason}, with no init as PID 1",
                              hint="start through an init (ENTRYPOINT [\"tini\", \"--\"]) or set init: true in compose", file=start.file)
                return


def _spawns(command) -> str | None:
    if runs_package_script(command):
        return f"runs the app as a child of '{line_of(command)}'"
    if command.background and command.name not in ("wait", "sleep"):
        return f"sends '{line_of(command)}' to the background"
    return None


def _compose_runs_with_init(ctx) -> bool:
    """A compose file beside the Dockerfile, or one directory up, builds it with ``init: true``."""
    if not ctx.source:
        return False
    from twelvecheck.discover import kind_of
    from twelvecheck.parse.compose import load_project
    from twelvecheck.rules.compose._private import is_true

    dockerfile = Path(ctx.source).resolve()
    for directory in (dockerfile.parent, dockerfile.parent.parent):
        for path in sorted(directory.iterdir()) if directory.is_dir() else ():
            if not (path.is_file() and kind_of(path.name) == "compose"):
                continue
            for service in load_project([path], env={}).services.values():
                build = service.build
                built = build is not None and Path(build.context, build.dockerfile or "Dockerfile").resolve() == dockerfile
                if built and is_true(service.get("init")):
                    return True
    return False
