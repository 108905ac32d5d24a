from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.image._run import RunProbe, measured, recording, span_of

LOOPBACK = ("127.0.0.1", "::1")


class RunPortBinding(RunProbe):
    """The ports the running process listens on are not the ones the image declares (verify --run).

    ## What it does
    `verify --run` reads the TCP and UDP sockets listening in the container's own network
    namespace once the app has settled, with the process holding each, and compares them with the
    image's EXPOSE and the compose service's `ports`:
    - a declared TCP port nobody listens on (and which ports are listened on instead);
    - a declared port bound to loopback only (unreachable from outside the container);
    - with `port-from-env`, a server that keeps its port when the `PORT` variable names another
      (a second run of the image with `PORT` set tells).

    ## Why is this bad?
    Factor VII: the app exports its service by binding a port, and the platform routes to the
    port the image declares. A server on another port, or on 127.0.0.1, gets no traffic.

    ## Options
    - `port-from-env` (false): also report a server that ignores `PORT`.

    ## Example
    ```files
    -- Dockerfile --
    FROM busybox
    EXPOSE 8080
    CMD ["httpd", "-f", "-p", "8081"]
    ```

    Use instead:
    ```files
    -- Dockerfile --
    FROM busybox
    EXPOSE 8080
    CMD ["httpd", "-f", "-p", "8080"]
    ```

    ## References
    - [The Twelve-Factor App, VII. Port binding](https://12factor.net/port-binding)
    """

    code = "IM012"
    name = "run-port-binding"
    severity = "warning"
    factors = ("VII",)
    options = {"port-from-env": False}

    def check(self, image) -> Iterator[Finding]:
        run = recording(image)
        if run is None or run.exited_early is not None:
            return
        span, line = span_of(image, "exposed_ports")
        listening = sorted({item.port for item in run.listeners if item.proto == "tcp"})
        shown = ", ".join(f"{item.proto} {item.address}:{item.port}" + (f" ({' '.join(item.argv[:3])})" if item.argv else "")
                          for item in run.listeners) or "nothing"
        for port in run.declared:
            if port.source == "PORT":
                continue
            held = [item for item in run.listeners if item.proto == port.proto and item.port == port.number]
            if not held:
                proof = measured(f"{port.source} {port.number}, but after {run.settled:.1f} s the container listens "
                                 f"on {shown}", line, port=port.number, value=listening, field="listening")
                yield Finding(span, f"{port.source} {port.number}/{port.proto}, but nothing listens on it; "
                                    f"listening: {shown}",
                              hint="make the server listen on the declared port (or declare the one it uses)",
                              evidence=(proof,))
            elif all(item.address in LOOPBACK for item in held):
                proof = measured(f"port {port.number} is bound to {held[0].address} only", line, port=port.number,
                                 value=held[0].address, field="address")
                yield Finding(span, f"port {port.number} listens on {held[0].address} only: unreachable from outside "
                                    "the container", hint="bind 0.0.0.0 (or ::)", evidence=(proof,))
        if self.config["port-from-env"] and run.port_env is not None and listening:
            moved = sorted({item.port for item in run.port_env_listeners or () if item.proto == "tcp"})
            if run.port_env not in moved:
                proof = measured(f"run again with PORT={run.port_env}, it listens on {moved or 'nothing'}", line,
                                 port=run.port_env, value=moved, field="PORT")
                yield Finding(span, f"the server ignores PORT: with PORT={run.port_env} it still listens on "
                                    f"{', '.join(map(str, moved)) or 'nothing'}",
                              hint="read the port from the PORT environment variable (keep the EXPOSEd one as default)",
                              evidence=(proof,))
