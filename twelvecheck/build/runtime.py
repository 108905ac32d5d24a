"""``verify --run``: one sandboxed run of the final image, recorded for the run-time probes.

The image's layers are unpacked once into a private directory, which becomes the lower layer
of an overlay mount, so nothing the process writes reaches the image and the upper directory
holds exactly what it wrote. The container (sandbox.Container: own pid, mount, ipc, uts and
network namespaces with only loopback, the builder's capabilities and system-call filter) runs
ENTRYPOINT + CMD as the image's user, in its workdir, with its environment, bounded by processes
and memory (cgroups where the machine has them, rlimits otherwise: ``Recording.enforcement``).

The timeline: start; ready (a declared port accepts a TCP connection made inside the
container's network namespace); settled (listening sockets and process tree unchanged for
``quiet`` seconds); the stop signal (STOPSIGNAL, the compose ``stop_signal`` or SIGTERM); exit,
or SIGKILL of the whole tree when the grace period (10 s, docker's) passes. Meanwhile a second
container of the same image (when it declares a port) runs with ``PORT`` set to another value,
to see whether the port follows the environment; it is killed once it has settled.

Every process is killed and every mount and file removed when ``run_image`` returns or raises
(KeyboardInterrupt included); a reaper process (workdir.py) does it if twelvecheck is killed.
The probes (rules/image/run_*.py) read the ``Recording``; none starts a container.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shlex
import shutil
import signal
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field

from twelvecheck.build import recorder, sandbox, users, workdir
from twelvecheck.build.recorder import Listener, Process, Written

DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
_CLONE_NEWNET = 0x40000000
_POLL = 0.02
_TAIL_BYTES = 4096


class RunError(RuntimeError):
    """The image could not be run at all here (no overlay, no runtime, unknown user)."""


@dataclass(frozen=True)
class RunOptions:
    grace: float = 10.0  # seconds between the stop signal and SIGKILL
    start_timeout: float = 10.0  # longest wait for the app to be ready or settle
    quiet: float = 0.3  # sockets and processes unchanged this long: settled
    pids: int = 256
    memory: int = 512 << 20
    runtime: str | None = None
    port_probe: bool = True
    # From a compose service (compose.py): overrides and what it declares.
    service: str = ""
    env: tuple[str, ...] = ()
    entrypoint: tuple[str, ...] | None = None
    command: tuple[str, ...] | None = None
    stop_signal: str = ""
    ports: tuple[int, ...] = ()  # container side of the service's ports
    backing: tuple[str, ...] = ()  # services it depends on, absent on purpose


@dataclass(frozen=True)
class Port:
    number: int
    proto: str
    source: str  # EXPOSE, compose ports, PORT


@dataclass
class Recording:
    argv: tuple[str, ...]
    user: str
    workdir: str
    env: tuple[str, ...]
    runtime: str
    enforcement: str
    declared: list[Port]
    volumes: tuple[str, ...]
    signal_name: str
    grace: float
    shell_form: bool = False  # the command is /bin/sh -c ... (shell form)
    health: tuple[str, ...] | None = None  # the HEALTHCHECK command, run inside the container
    ready: float | None = None  # seconds from start
    ready_how: str = ""
    settled: float = 0.0
    exited_early: float | None = None  # seconds from start, when it ended before the signal
    signalled: float | None = None
    stop_seconds: float | None = None  # from the signal to the exit
    killed: bool = False  # still running when the grace period ended
    status: int | None = None
    limits_hit: list[str] = field(default_factory=list)
    stdout_bytes: int = 0
    stderr_bytes: int = 0
    tail: list[str] = field(default_factory=list)
    listeners: list[Listener] = field(default_factory=list)
    processes: list[Process] = field(default_factory=list)
    files: list[Written] = field(default_factory=list)
    port_env: int | None = None  # the PORT value the second run got
    port_env_listeners: list[Listener] | None = None
    port_env_ended: int | None = None  # its exit status when it ended before settling
    service: str = ""
    backing: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)

    @property
    def started(self) -> bool:
        return self.exited_early is None

    def timeline(self) -> list[tuple[str, float]]:
        """(event, seconds from start) in order: start, ready, signal, exit/killed."""
        events = [("start", 0.0)]
        if self.ready is not None:
            events.append(("ready", self.ready))
        if self.exited_early is not None:
            events.append((f"exited {self.status}", self.exited_early))
            return events
        if self.signalled is not None:
            events.append((self.signal_name, self.signalled))
            end = self.signalled + (self.grace if self.killed else (self.stop_seconds or 0.0))
            events.append(("SIGKILL" if self.killed else f"exited {self.status}", end))
        return events

    def summary(self) -> str:
        command = shlex.join(self.argv)
        command = command if len(command) <= 60 else command[:57] + "..."
        parts = [f"ran {command} as {self.user or 'root'}"]
        if self.exited_early is not None:
            return parts[0] + f"; it exited with status {self.status} after {self.exited_early:.1f} s"
        if self.ready is not None:
            parts.append(f"ready in {self.ready:.1f} s ({self.ready_how})")
        if self.killed:
            parts.append(f"still running {self.grace:g} s after {self.signal_name}, killed")
        elif self.stop_seconds is not None:
            parts.append(f"exits {self.stop_seconds:.1f} s after {self.signal_name}")
        return "; ".join(parts)


# -- the run ------------------------------------------------------------------------------------

def run_image(config, layer_files: list[str], options: RunOptions = RunOptions(), *,
              parent: str | None = None) -> Recording:
    """Run the image whose ``config`` (oci.ImageConfig) and uncompressed-or-gzip layer blobs
    (``layer_files``, bottom first) are given; RunError when it cannot be run here."""
    from twelvecheck.build import overlay
    from twelvecheck.build.unpack import UnpackError, unpack_layer

    with workdir.work_dir(parent) as work:
        reason = overlay.unavailable_reason(work)
        if reason:
            raise RunError(f"the run needs an overlay mount: {reason}")
        workdir.guard(work)
        lower = os.path.join(work, "rootfs")
        os.mkdir(lower, 0o755)
        try:
            for number, path in enumerate(layer_files, start=1):
                with open(path, "rb") as blob:
                    unpack_layer(blob, lower, where=f"layer {number}")
        except (OSError, UnpackError) as error:
            raise RunError(f"cannot unpack the image: {error}") from None
        recording = _prepare(config.config, lower, options)
        stop = threading.Event()
        probe = None
        if options.port_probe and recording.started and any(p.proto == "tcp" for p in recording.declared):
            probe = threading.Thread(target=_port_probe, args=(recording, lower, work, options, stop), daemon=True)
        try:
            if probe is not None:
                probe.start()
            _main_run(recording, lower, work, options)
        finally:
            stop.set()
            if probe is not None:
                probe.join()
        return recording


def _prepare(runtime_config, lower: str, options: RunOptions) -> Recording:
    entrypoint = options.entrypoint if options.entrypoint is not None else tuple(runtime_config.entrypoint or ())
    if options.command is not None:
        command = options.command
    else:
        command = () if options.entrypoint is not None else tuple(runtime_config.cmd or ())
    argv = tuple(entrypoint) + tuple(command)
    env = dict(item.partition("=")[::2] for item in runtime_config.env)
    env.setdefault("PATH", DEFAULT_PATH)
    env.update(item.partition("=")[::2] for item in options.env)
    env.setdefault("HOSTNAME", "twelvecheck")
    declared = _declared_ports(runtime_config.exposed_ports, options.ports, env.get("PORT"))
    signal_name = _signal_name(options.stop_signal or runtime_config.stop_signal or "SIGTERM")
    recording = Recording(argv, runtime_config.user, runtime_config.working_dir or "/",
                          tuple(f"{k}={v}" for k, v in env.items()), "", "", declared,
                          tuple(runtime_config.volumes), signal_name, options.grace,
                          shell_form=len(argv) >= 3 and argv[0] in ("/bin/sh", "sh", "/bin/bash") and argv[1] == "-c",
                          service=options.service, backing=options.backing)
    test = tuple(runtime_config.healthcheck.test) if runtime_config.healthcheck is not None else ()
    if test[:1] == ("CMD",) and len(test) > 1:
        recording.health = test[1:]
    elif test[:1] == ("CMD-SHELL",) and len(test) > 1:
        recording.health = ("/bin/sh", "-c", test[1])
    if not argv:
        recording.exited_early, recording.status = 0.0, None
        recording.tail = ["the image has neither ENTRYPOINT nor CMD: there is nothing to run"]
    return recording


def _declared_ports(exposed, compose_ports, port_env) -> list[Port]:
    ports: dict[tuple[int, str], Port] = {}
    for item in exposed:
        number, _, proto = item.partition("/")
        if number.isdigit():
            ports.setdefault((int(number), proto or "tcp"), Port(int(number), proto or "tcp", "EXPOSE"))
    for number in compose_ports:
        ports.setdefault((number, "tcp"), Port(number, "tcp", "compose ports"))
    if port_env and port_env.isdigit():
        ports.setdefault((int(port_env), "tcp"), Port(int(port_env), "tcp", "PORT"))
    return list(ports.values())


def _signal_name(text: str) -> str:
    text = text.strip().upper()
    if text.isdigit():
        with contextlib.suppress(ValueError):
            return signal.Signals(int(text)).name
        return text
    return text if text.startswith("SIG") else "SIG" + text


def _spec(recording: Recording, rootfs: str, env: tuple[str, ...]) -> sandbox.RunSpec:
    try:
        identity = users.resolve(rootfs, recording.user or "0", with_groups=True)
    except users.UnknownUser as error:
        raise RunError(str(error)) from None
    return sandbox.RunSpec(rootfs, recording.argv, env, recording.workdir, identity.uid, identity.gid,
                           identity.extra_gids, "none")


class _Output:
    """Counts the bytes of one pipe and keeps its last few kilobytes."""

    def __init__(self, pipe):
        self.pipe = pipe
        self.bytes = 0
        self.tail = b""
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        fd = self.pipe.fileno()
        while True:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.bytes += len(chunk)
            self.tail = (self.tail + chunk)[-_TAIL_BYTES:]


def _main_run(recording: Recording, lower: str, work: str, options: RunOptions) -> None:
    from twelvecheck.build import overlay

    if not recording.started:
        return
    scratch = os.path.join(work, "main")
    os.mkdir(scratch, 0o700)
    with overlay._mounted(lower, scratch) as rootfs:
        spec = _spec(recording, rootfs, recording.env)
        limits = sandbox.Limits(options.pids, options.memory, options.start_timeout + options.grace + 30)
        runtime_name = options.runtime
        if recording.health and runtime_name is None and shutil.which("runc"):
            runtime_name = "runc"  # runs the HEALTHCHECK inside the container (runc exec)
        container = sandbox.Container(spec, runtime=runtime_name, limits=limits, work=work)
        outputs: list[_Output] = []
        try:
            container.start(stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            began = time.monotonic()
            recording.runtime, recording.enforcement = container.runtime, container.enforcement
            outputs = [_Output(container.process.stdout), _Output(container.process.stderr)]
            init = _init_pid(container, began + 5)
            _watch(recording, container, init, began, options)
            if recording.exited_early is None:
                recording.signalled = time.monotonic() - began
                container.signal(signal.Signals[recording.signal_name] if recording.signal_name in
                                 signal.Signals.__members__ else signal.SIGTERM)
                sent = time.monotonic()
                status = container.wait(options.grace)
                if status is None:
                    recording.killed = True
                    status = _kill(container)
                else:
                    recording.stop_seconds = time.monotonic() - sent
                recording.status = status
            if recording.status not in (None, 0):
                recording.limits_hit = container.limits_hit(recording.status)
        finally:
            if container.process is not None and container.process.poll() is None:
                _kill(container)
            for output in outputs:  # the tree is gone: the pipes reach their end
                output.thread.join(2)
            container.close()
        if outputs:
            recording.stdout_bytes, recording.stderr_bytes = outputs[0].bytes, outputs[1].bytes
            text = (outputs[0].tail + outputs[1].tail).decode("utf-8", "replace")
            recording.tail = [line for line in text.splitlines() if line.strip()][-10:]
        recording.files = recorder.written(os.path.join(scratch, "upper"), lower)


def _kill(container: sandbox.Container) -> int | None:
    """SIGKILL to the container's first process: its pid namespace dies with it and the runtime,
    its parent, reaps it and exits (quicker than killing the runtime, whose orphaned child must
    wait for the host's init); ``Container.kill`` after that only makes sure."""
    container.signal(signal.SIGKILL)
    status = container.wait(2)
    if status is None:
        container.kill()
        status = container.wait(5)
    return status


def _init_pid(container: sandbox.Container, deadline: float) -> int | None:
    """The host pid of the container's first process."""
    if container.runtime == "bwrap":
        return container._child_pid
    import json

    while time.monotonic() < deadline and container.process.poll() is None:
        result = subprocess.run(["runc", "--root", container._state_dir(), "state", container.name],
                                capture_output=True, text=True, timeout=10, check=False)
        with contextlib.suppress(ValueError):
            state = json.loads(result.stdout or "{}")
            if state.get("pid") and state.get("status") == "running":
                return int(state["pid"])
        time.sleep(_POLL)
    return None


def _watch(recording: Recording, container: sandbox.Container, init: int | None, began: float,
           options: RunOptions) -> None:
    """Poll until ready and settled, or until it exits, or the start timeout."""
    tcp_declared = [port.number for port in recording.declared if port.proto == "tcp"]
    last_change, last_seen, next_health = began, None, began
    while True:
        now = time.monotonic()
        status = container.process.poll()
        if status is not None or init is None:
            recording.exited_early = now - began
            recording.status = container.wait(5)
            return
        found = recorder.listeners(init)
        seen = {(item.proto, item.port) for item in found}  # short-lived children (sleep) do not count
        if seen != last_seen:
            last_seen, last_change = seen, now
        if recording.ready is None and recording.health and container.runtime == "runc" and now >= next_health:
            next_health = now + 0.2
            if _healthy(container, recording, spec_of(container)):
                recording.ready = time.monotonic() - began
                recording.ready_how = "the HEALTHCHECK passes"
        if recording.ready is None:
            for item in found:
                if item.proto == "tcp" and item.port in tcp_declared and _connects(init, item):
                    recording.ready = time.monotonic() - began
                    recording.ready_how = f"port {item.port} accepts a connection"
                    break
        quiet = now - last_change >= options.quiet
        waiting = bool(recording.health) and recording.ready is None and container.runtime == "runc"
        if quiet and not waiting and (recording.ready is not None or found
                                      or (not tcp_declared and now - began >= 2 * options.quiet)):
            break
        if now - began >= options.start_timeout:
            recording.notes.append(f"not settled after {options.start_timeout:g} s; recorded as it was then")
            break
        time.sleep(_POLL)
    recording.settled = time.monotonic() - began
    tree = recorder.process_tree(init)
    recording.processes = tree
    recording.listeners = recorder.owners(recorder.listeners(init), tree)


def spec_of(container: sandbox.Container) -> sandbox.RunSpec:
    return container.spec


def _healthy(container: sandbox.Container, recording: Recording, spec: sandbox.RunSpec) -> bool:
    """Run the HEALTHCHECK command in the container (runc exec: its namespaces, cgroups and
    system-call filter, its user, no capabilities); the environment goes through a private
    process file, never the command line."""
    import json

    process = {"terminal": False, "user": {"uid": spec.uid, "gid": spec.gid}, "args": list(recording.health),
               "env": list(spec.env), "cwd": spec.cwd or "/", "noNewPrivileges": True}
    path = os.path.join(container._scratch, "health.json")
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(handle, "w") as output:
        json.dump(process, output)
    try:
        result = subprocess.run(["runc", "--root", container._state_dir(), "exec", "--process", path, container.name],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                timeout=5, check=False)
    except subprocess.TimeoutExpired:
        return False
    return result.returncode == 0


def _connects(init: int, listener: Listener) -> bool:
    """A TCP connection to ``listener`` made from inside the container's network namespace
    (a thread that joins it: setns changes only the calling thread's namespace)."""
    result = []

    def attempt() -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        try:
            fd = os.open(f"/proc/{init}/ns/net", os.O_RDONLY | os.O_CLOEXEC)
        except OSError:
            return
        try:
            if libc.setns(fd, _CLONE_NEWNET) != 0:
                return
        finally:
            os.close(fd)
        family = socket.AF_INET6 if ":" in listener.address else socket.AF_INET
        host = listener.address
        if host in ("0.0.0.0", "::"):
            host = "127.0.0.1" if family == socket.AF_INET else "::1"
        with contextlib.suppress(OSError), socket.socket(family, socket.SOCK_STREAM) as connection:
            connection.settimeout(1.0)
            connection.connect((host, listener.port))
            result.append(True)

    thread = threading.Thread(target=attempt, daemon=True)
    thread.start()
    thread.join(2.0)
    return bool(result)


def _alternative_port(recording: Recording) -> int:
    taken = {port.number for port in recording.declared}
    return next(number for number in range(34567, 34667) if number not in taken)


def _port_probe(recording: Recording, lower: str, work: str, options: RunOptions, stop: threading.Event) -> None:
    """A second container with PORT set to another value: which ports does it listen on?"""
    from twelvecheck.build import overlay

    value = _alternative_port(recording)
    env = tuple(item for item in recording.env if not item.startswith("PORT=")) + (f"PORT={value}",)
    scratch = os.path.join(work, "port")
    os.mkdir(scratch, 0o700)
    try:
        with overlay._mounted(lower, scratch) as rootfs:
            spec = _spec(recording, rootfs, env)
            limits = sandbox.Limits(options.pids, options.memory, options.start_timeout + 30)
            with sandbox.Container(spec, runtime=options.runtime, limits=limits, work=work) as container:
                container.start(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                began = time.monotonic()
                init = _init_pid(container, began + 5)
                last, last_change = None, began
                while not stop.is_set() and init is not None:
                    now = time.monotonic()
                    if container.process.poll() is not None:
                        recording.port_env_ended = container.wait(5)
                        break
                    found = recorder.listeners(init)
                    ports = {(item.proto, item.port) for item in found}
                    if ports != last:
                        last, last_change = ports, now
                    if ("tcp", value) in ports or (found and now - last_change >= options.quiet) \
                            or now - began >= options.start_timeout:
                        recording.port_env, recording.port_env_listeners = value, found
                        break
                    time.sleep(_POLL)
                _kill(container)
    except (RunError, OSError, sandbox.SandboxError) as error:
        recording.notes.append(f"the PORT={value} run failed: {error}")


# -- verify's entry point ----------------------------------------------------------------------

def attach_run(view, options: RunOptions, dockerfile: str, progress=None, service: str | None = None) -> None:
    """Run the image of ``view`` (verify's image view) and leave the recording at ``view.run``
    for the probes; what kept it from running, and how it was bounded, go to ``view.notes``."""
    from twelvecheck.build.run_compose import service_options

    options, notes = service_options(dockerfile, options, service or options.service or None)
    view.notes.extend(notes)
    if progress is not None:
        progress("running the image in the sandbox (--run)")
    try:
        files = _layer_files(view)
        recording = run_image(view.config, files, options)
    except (RunError, sandbox.SandboxError, OSError, ValueError) as error:
        view.notes.append(f"--run: the image was not run: {error}")
        view.run = None
        return
    view.run = recording
    view.notes.append(f"--run: {recording.summary()}; limits held by {recording.enforcement or 'nothing'} "
                      f"({options.pids} processes, {options.memory >> 20} MiB), runtime {recording.runtime}")
    if recording.backing and recording.exited_early is not None:
        outcome = "fails fast" if recording.status else "exits"
        view.notes.append(f"--run: without its backing services the app {outcome} (status {recording.status} "
                          f"after {recording.exited_early:.1f} s): {' | '.join(recording.tail[-2:])}")
    elif recording.backing:
        view.notes.append("--run: the app starts without its backing services")
    view.notes.extend(f"--run: {note}" for note in recording.notes)


def _layer_files(view) -> list[str]:
    files = getattr(view, "layer_files", None)
    if isinstance(files, tuple):  # an image built elsewhere: (reference, cache_dir)
        from twelvecheck.build.bases import load_base
        from twelvecheck.build.builder import build_platform
        from twelvecheck.build.cache import BuildCache
        from twelvecheck.files import user_cache_dir

        reference, cache_dir = files
        store = BuildCache(cache_dir or user_cache_dir("build")).blobs
        image = load_base(reference, store, build_platform())
        return [store.path(layer.descriptor.digest) for layer in image.layers]
    if files is None:
        raise RunError("the image's layers are not at hand")
    return list(files)


# -- what the report keeps ---------------------------------------------------------------------

def as_json(recording: Recording) -> dict:
    """The recording as the JSON report and the HTML timeline show it."""
    return {
        "argv": list(recording.argv), "user": recording.user or "root", "runtime": recording.runtime,
        "limits": recording.enforcement, "signal": recording.signal_name, "grace_seconds": recording.grace,
        "timeline": [{"event": event, "seconds": round(at, 3)} for event, at in recording.timeline()],
        "ready_seconds": None if recording.ready is None else round(recording.ready, 3),
        "stop_seconds": None if recording.stop_seconds is None else round(recording.stop_seconds, 3),
        "killed": recording.killed, "exit_status": recording.status,
        "stdout_bytes": recording.stdout_bytes, "stderr_bytes": recording.stderr_bytes,
        "listening": [{"proto": item.proto, "address": item.address, "port": item.port, "pid": item.pid,
                       "argv": list(item.argv)} for item in recording.listeners],
        "processes": [{"pid": p.pid, "ppid": p.ppid, "argv": list(p.argv)} for p in recording.processes],
        "files": [{"path": w.path, "bytes": w.size, "kind": w.kind} for w in recording.files],
        "port_env": recording.port_env,
        "port_env_listening": None if recording.port_env_listeners is None else
        sorted({item.port for item in recording.port_env_listeners}),
        "service": recording.service or None,
    }


# factor -> the probe that judges it at run time
PROBES = {"IX": ("IM010", "IM011"), "VII": ("IM012",), "XI": ("IM013",), "VI": ("IM014",), "VIII": ("IM015",)}


def prove_factors(card: dict, run: dict | None, findings, enabled_codes: set[str]) -> None:
    """Scorecard rows the run proved: a factor that passes statically and whose probes ran and
    found nothing says what was measured ("ready in 0.4 s, exits 0.1 s after SIGTERM"). A probe's
    finding already fails its factor, whatever the static rules said."""
    if run is None:
        return
    found = {finding.rule for finding in findings}
    started = run["stop_seconds"] is not None or run["killed"]  # it ran until the stop signal
    for factor, codes in PROBES.items():
        row = card.get(factor)
        if row is None or not set(codes) <= enabled_codes or found & set(codes):
            continue
        proof = _proof(factor, run) if started else None
        if proof and row["status"] == "pass":
            row["explanation"] = f"proven at run time: {proof}"
            row["run"] = proof


def _proof(factor: str, run: dict) -> str | None:
    if factor == "IX":
        ready = f"ready in {run['ready_seconds']:.1f} s, " if run["ready_seconds"] is not None else ""
        if run["stop_seconds"] is None:
            return None
        return f"{ready}exits {run['stop_seconds']:.1f} s after {run['signal']}"
    if factor == "VII":
        ports = sorted({f"{item['proto']} {item['port']}" for item in run["listening"]})
        return f"listens on {', '.join(ports)} as declared" if ports else None
    if factor == "XI":
        return f"{run['stdout_bytes'] + run['stderr_bytes']} B to stdout/stderr, no log file written"
    if factor == "VI":
        return f"{len(run['files'])} file(s) written during the run, none outside VOLUMEs and tmp dirs"
    if factor == "VIII":
        return f"{len(run['processes'])} process(es) after start-up, one server, no supervisor or cron"
    return None
