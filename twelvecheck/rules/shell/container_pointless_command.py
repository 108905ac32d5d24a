from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.mounts import mounts
from twelvecheck.rules.shell._base import ShellRule

POINTLESS = {
    "ssh": "there is no remote session to open during a build",
    "vim": "an editor needs a terminal the build does not have",
    "nano": "an editor needs a terminal the build does not have",
    "shutdown": "there is no machine to shut down: the container is one process tree",
    "service": "no init system runs in a build container, and nothing started survives the step",
    "ps": "the build step's process list tells nothing about the running container",
    "top": "the build step's process list tells nothing about the running container",
    "free": "the build container's memory tells nothing about where the image will run",
    "kill": "no process outlives the step to be signalled",
    "mount": "mounts need privileges a build does not have, and vanish with the step",
    "ifconfig": "the build container's network is not the running container's",
}


class ContainerPointlessCommand(ShellRule):
    """A command that makes no sense in a container build.

    ## What it does
    Flags `ssh`, `vim`, `nano`, `shutdown`, `service`, `ps`, `top`, `free`, `kill`, `mount`
    and `ifconfig` run in RUN (in `$(...)` too). Not flagged: `kill` of a job started in the
    background earlier in the same RUN (`mysqld & … kill $!`), and `ssh` in a RUN with
    `--mount=type=ssh` (the agent is there on purpose).

    ## Why is this bad?
    A build step is one short-lived process tree without a terminal, an init system or
    privileges: these commands either fail, hang, or report about the build machine rather
    than the container that will run the image.

    ## Example
    ```dockerfile
    FROM debian:12-slim
    RUN service nginx start
    ```

    Use instead:
    ```dockerfile
    FROM debian:12-slim
    CMD ["nginx", "-g", "daemon off;"]
    ```

    ## References
    - [hadolint DL3001](https://github.com/hadolint/hadolint/wiki/DL3001)
    """

    code = "SH030"
    name = "container-pointless-command"
    severity = "info"
    aliases = {"hadolint": ("DL3001",)}

    def check_script(self, ctx, run) -> Iterator[Finding]:
        ssh_mounted = any(mount.type == "ssh" for mount in mounts(run.instruction))
        for command in run.all_commands:
            name = command.name
            if name not in POINTLESS or (name == "ssh" and ssh_mounted):
                continue
            if name == "kill" and any(c.background and c.start < command.start for c in run.commands):
                continue
            yield Finding(run.command_span(command), f"{name} in a build step: {POINTLESS[name]}",
                          hint="drop it, or do this in the running container (CMD/ENTRYPOINT)")
