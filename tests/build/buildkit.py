"""BuildKit as an oracle: a private dockerd (Debian's docker.io, built-in BuildKit) and the final
filesystem and config of an image, read from its layers without unpacking them to disk.

The filesystem of an image is its layers applied in order (whiteouts and opaque directories
honoured), each path described by its type, permission bits, owner, and content hash or link
target; a hard link is described as the file it links to.  Facts of a layer are computed once
per diff_id, so the shared base layer of many images is read once.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import os
import signal
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

DOCKER = "/usr/bin/docker"  # Debian's client: the one on PATH may lack BuildKit
CONFIG_FIELDS = ("Env", "Cmd", "Entrypoint", "User", "WorkingDir", "ExposedPorts", "Volumes", "Labels",
                 "StopSignal", "Healthcheck")
_TYPES = {tarfile.REGTYPE: "file", tarfile.AREGTYPE: "file", tarfile.DIRTYPE: "dir", tarfile.SYMTYPE: "symlink",
          tarfile.FIFOTYPE: "fifo", tarfile.CHRTYPE: "char", tarfile.BLKTYPE: "block"}

Fact = tuple  # (type, mode, uid, gid, sha256 or link target)
_BUILDS = itertools.count()


@dataclass
class Dockerd:
    env: dict[str, str]
    socket: Path
    process: subprocess.Popen
    log: Path

    def docker(self, *args: str, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
        result = subprocess.run([DOCKER, *args], env=self.env, capture_output=True, text=True, **kwargs)
        if check and result.returncode != 0:
            raise AssertionError(f"docker {' '.join(args)} failed: {result.stderr[-2000:]}")
        return result

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)  # our own daemon, by its PID
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_dockerd(root: Path) -> Dockerd | None:
    """dockerd on a unix socket under ``root``, no bridge and no iptables; None if it won't start."""
    root.mkdir(parents=True, exist_ok=True)
    socket = root / "docker.sock"
    log = root / "dockerd.log"
    with open(log, "wb") as handle:
        process = subprocess.Popen(
            ["dockerd", "--iptables=false", "--ip6tables=false", "--bridge=none", "--storage-driver=overlay2",
             "--data-root", str(root / "data"), "--exec-root", str(root / "exec"),
             "--pidfile", str(root / "dockerd.pid"), "-H", f"unix://{socket}"],
            stdout=handle, stderr=subprocess.STDOUT)
    daemon = Dockerd({**os.environ, "DOCKER_HOST": f"unix://{socket}", "DOCKER_BUILDKIT": "1"}, socket, process, log)
    deadline = time.monotonic() + 30
    while daemon.docker("version", check=False).returncode != 0:
        if time.monotonic() > deadline or process.poll() is not None:
            daemon.stop()
            return None
        time.sleep(0.2)
    return daemon


class LayerFacts:
    """What each layer (by diff_id) does: paths it deletes, directories it makes opaque, entries it adds."""

    def __init__(self):
        self._by_diff_id: dict[str, tuple[list[str], list[str], dict[str, Fact]]] = {}

    def of(self, diff_id: str, open_tar) -> tuple[list[str], list[str], dict[str, Fact]]:
        if diff_id not in self._by_diff_id:
            with open_tar() as archive:
                self._by_diff_id[diff_id] = _read_layer(archive)
        return self._by_diff_id[diff_id]

    def filesystem(self, layers) -> dict[str, Fact]:
        """``layers``: (diff_id, open_tar) in order -> path -> fact of the final filesystem."""
        state: dict[str, Fact] = {}
        for diff_id, open_tar in layers:
            deleted, opaque, added = self.of(diff_id, open_tar)
            for path in deleted:
                _drop(state, path, keep_self=False)
            for path in opaque:
                _drop(state, path, keep_self=True)
            state.update(added)
            for path, fact in added.items():
                if fact[0] == "hardlink":
                    state[path] = state.get(fact[1], ("dangling hardlink", fact[1]))
        return state


def _drop(state: dict[str, Fact], path: str, *, keep_self: bool) -> None:
    prefix = path.rstrip("/") + "/"
    for key in [key for key in state if key.startswith(prefix) or (key == path and not keep_self)]:
        del state[key]


def _read_layer(archive: tarfile.TarFile) -> tuple[list[str], list[str], dict[str, Fact]]:
    deleted, opaque, added = [], [], {}
    for member in archive:
        path = _absolute(member.name)
        directory, name = os.path.split(path)
        if name == ".wh..wh..opq":
            opaque.append(directory)
            continue
        if name.startswith(".wh."):
            deleted.append(os.path.join(directory, name[4:]))
            continue
        if member.islnk():  # described as the file it links to (resolved in ``filesystem``)
            added[path] = ("hardlink", _absolute(member.linkname))
            continue
        kind = _TYPES.get(member.type, f"type {member.type!r}")
        if member.isfile():
            detail = hashlib.sha256(archive.extractfile(member).read()).hexdigest()
        elif member.issym():
            detail = member.linkname
        else:
            detail = ""
        added[path] = (kind, oct(member.mode & 0o7777), member.uid, member.gid, detail)
    return deleted, opaque, added


def _absolute(name: str) -> str:
    path = os.path.normpath("/" + name)
    return "/" + path.lstrip("/")


def buildkit_image(daemon: Dockerd, tag: str, facts: LayerFacts, scratch: Path) -> tuple[dict, dict]:
    """(filesystem, config) of an image in the daemon, through ``docker save``."""
    with tempfile.TemporaryDirectory(dir=scratch) as work:
        saved = Path(work) / "image.tar"
        daemon.docker("save", "-o", str(saved), tag)
        with tarfile.open(saved) as archive:
            manifest = json.load(archive.extractfile("manifest.json"))[0]
            config = json.load(archive.extractfile(manifest["Config"]))
            layers = [(diff_id, _member_opener(saved, name))
                      for diff_id, name in zip(config["rootfs"]["diff_ids"], manifest["Layers"])]
            filesystem = facts.filesystem(layers)
    return filesystem, _config_fields(config["config"])


def _member_opener(archive_path: Path, name: str):
    def open_tar():
        outer = tarfile.open(archive_path)
        inner = tarfile.open(fileobj=outer.extractfile(name))
        return _Closing(inner, outer)
    return open_tar


class _Closing:
    def __init__(self, inner, outer):
        self.inner, self.outer = inner, outer

    def __enter__(self):
        return self.inner

    def __exit__(self, *exc):
        self.inner.close()
        self.outer.close()


def our_image(image, facts: LayerFacts) -> tuple[dict, dict]:
    """(filesystem, config) of a ``BuiltImage``."""
    layers = [(str(layer.diff_id), lambda layer=layer: tarfile.open(image.blob_path(layer.descriptor.digest)))
              for layer in image.layers]
    return facts.filesystem(layers), _config_fields(image.config.to_json().get("config", {}))


def _config_fields(config: dict) -> dict:
    return {field: config.get(field) or None for field in CONFIG_FIELDS}


@dataclass
class Compared:
    theirs: dict
    ours: dict
    theirs_config: dict
    ours_config: dict
    buildkit_seconds: float
    ours_seconds: float

    @property
    def timing(self) -> str:
        return f"BuildKit {self.buildkit_seconds:.2f}s, twelvecheck {self.ours_seconds:.2f}s"

    def differences(self, *, volatile=()) -> dict:
        """path -> (BuildKit's fact, ours) where they differ; for ``volatile`` paths (prefixes)
        the content is not compared, only type, mode and owner."""
        found = {}
        for path in self.theirs.keys() | self.ours.keys():
            a, b = self.theirs.get(path), self.ours.get(path)
            if a and b and any(path.startswith(prefix) for prefix in volatile):
                a, b = a[:4], b[:4]
            if a != b:
                found[path] = (self.theirs.get(path), self.ours.get(path))
        return found


def compare_with_buildkit(daemon: Dockerd, context: str, bases: dict, facts: LayerFacts, scratch: Path, *,
                          cache_dir: Path, network: str = "none", target: str | None = None) -> Compared:
    """Build ``context`` (its ``target`` stage) with BuildKit and with twelvecheck; both results."""
    from twelvecheck.build.builder import build

    tag = f"localhost/parity-{next(_BUILDS)}:bk"
    started = time.perf_counter()
    result = daemon.docker("build", "--network", network, "-t", tag, *(["--target", target] if target else []),
                           context, check=False)
    buildkit_seconds = time.perf_counter() - started
    assert result.returncode == 0, result.stderr[-3000:]
    started = time.perf_counter()
    image = build(context, bases=bases, network=network, target=target, cache_dir=str(cache_dir))
    ours_seconds = time.perf_counter() - started
    theirs, theirs_config = buildkit_image(daemon, tag, facts, scratch)
    ours, ours_config = our_image(image, facts)
    return Compared(theirs, ours, theirs_config, ours_config, buildkit_seconds, ours_seconds)


def write_case(directory, dockerfile: str, files: dict) -> str:
    """Files by name; ``@name`` a symlink to the value, ``%name`` a mode, ``!name`` a tar archive
    (a few members with their own modes and owners), ``~name`` a fifo."""
    directory.mkdir(parents=True)
    (directory / "Dockerfile").write_text(dockerfile)
    for name, value in sorted(files.items(), key=lambda item: item[0][0] in "@%!~"):
        path = directory / name.lstrip("@%!~")
        path.parent.mkdir(parents=True, exist_ok=True)
        if name.startswith("@"):
            os.symlink(value, path)
        elif name.startswith("!"):
            with tarfile.open(path, "w:gz" if name.endswith(".gz") else "w") as archive:
                for member_name, mode, owner in (("etc/", 0o750, 0), ("etc/app.conf", 0o640, 33), ("bin/x", 0o755, 0)):
                    member = tarfile.TarInfo(member_name.rstrip("/"))
                    member.mode, member.uid, member.gid = mode, owner, owner
                    data = b"" if member_name.endswith("/") else member_name.encode()
                    member.type = tarfile.DIRTYPE if member_name.endswith("/") else tarfile.REGTYPE
                    member.size = len(data)
                    archive.addfile(member, io.BytesIO(data))
        elif name.startswith("~"):
            os.mkfifo(path)
        elif not name.startswith("%"):
            path.write_text(value)
    for name, mode in files.items():
        if name.startswith("%"):
            os.chmod(directory / name[1:], mode)
    return str(directory)


