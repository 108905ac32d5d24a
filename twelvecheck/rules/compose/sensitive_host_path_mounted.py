from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import Rule

# Host paths whose mount hands over the host: the Docker API, the root, system config and state.
SENSITIVE = ("/var/run/docker.sock", "/run/docker.sock", "/run/containerd/containerd.sock", "/",
             "/etc", "/proc", "/sys", "/root", "/boot", "/dev", "/var/lib/docker", "/var/run", "/run",
             "/usr", "/lib", "/bin", "/sbin", "/home")


def sensitive_path(source: str) -> str | None:
    normalized = "/" + source.strip("/") if source.startswith("/") else None
    if normalized is None:
        return None
    for path in SENSITIVE:
        if normalized == path or (path in ("/var/run/docker.sock", "/run/docker.sock") and normalized.endswith("docker.sock")):
            return path
    return None


class SensitiveHostPathMounted(Rule):
    """A bind mount of the Docker socket or another sensitive host path.

    ## What it does
    Flags bind mounts whose source is the Docker or containerd socket, the host's root, or a
    system directory such as `/etc`, `/proc`, `/sys`, `/root`, `/dev` or `/var/lib/docker`.

    ## Why is this bad?
    Whoever can talk to the Docker socket can start a privileged container: it is root on the
    host. System directories leak credentials and let the container change the host.

    ## Example
    ```yaml
    services:
      ci:
        image: example/agent:2.1
        volumes:
          - /var/run/docker.sock:/var/run/docker.sock
    ```

    Use instead:
    ```yaml
    services:
      ci:
        image: example/agent:2.1
        volumes:
          - ./workspace:/workspace
    ```

    ## References
    - [Docker daemon attack surface](https://docs.docker.com/engine/security/#docker-daemon-attack-surface)
    """

    code = "DC002"
    name = "sensitive-host-path-mounted"
    severity = "warning"
    kind = "compose"

    def check(self, ctx) -> Iterator[Finding]:
        for service in ctx.services.values():
            for mount in service.volumes:
                path = sensitive_path(mount.source or "") if mount.type == "bind" else None
                if path is not None:
                    what = "the Docker socket" if path.endswith(".sock") else f"the host's {path}"
                    mode = " (read-only)" if mount.read_only else ""
                    yield ctx.finding(mount.node, f"service '{service.name}' mounts {what}{mode}",
                                      hint="mount only the files the service needs; use a socket proxy for the Docker API")
