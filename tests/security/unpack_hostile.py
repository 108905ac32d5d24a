"""Hostile layers, images and archives for the unpacker and base-image tests, made with tarfile,
plus a host-side canary: files outside every build that no input may change."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path

import pytest

OCI_LAYER = "application/vnd.oci.image.layer.v1.tar"
OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip"


def as_root() -> None:
    if os.geteuid() != 0:
        pytest.skip("the attacks target what root can change (CI runs these as root)")


@dataclass
class Canary:
    """``host/canary`` (a file) and ``host/dir/inside`` (a directory's content), outside the build."""

    host: Path

    @classmethod
    def make(cls, base: Path) -> Canary:
        host = base / "host"
        (host / "dir").mkdir(parents=True)
        (host / "canary").write_text("host file\n")
        (host / "dir" / "inside").write_text("host dir file\n")
        os.chmod(host / "canary", 0o644)
        os.chmod(host / "dir", 0o755)
        canary = cls(host)
        canary.before = canary.state()
        return canary

    @property
    def file(self) -> str:
        return str(self.host / "canary")

    @property
    def dir(self) -> str:
        return str(self.host / "dir")

    def state(self) -> list[tuple]:
        rows = []
        for parent, dirs, files in os.walk(self.host):
            for name in sorted(dirs + files):
                path = os.path.join(parent, name)
                st = os.lstat(path)
                content = Path(path).read_bytes() if os.path.isfile(path) else b""
                rows.append((path, st.st_mode, st.st_uid, st.st_gid, st.st_mtime_ns, content))
        return sorted(rows)

    def assert_untouched(self) -> None:
        assert self.state() == self.before, "a host file outside the build changed"


class Entry(tarfile.TarInfo):
    """A TarInfo that carries its data (no __slots__: room for one more attribute)."""


def entry(name: str, kind: bytes = tarfile.REGTYPE, data: bytes = b"", **attributes) -> Entry:
    info = Entry(name)
    info.type = kind
    info.size = len(data)
    info.mode = attributes.pop("mode", 0o644)
    for key, value in attributes.items():
        setattr(info, key, value)
    info.data = data
    return info


def tar_bytes(*entries: tarfile.TarInfo, compress: bool = False) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for info in entries:
            tar.addfile(info, io.BytesIO(info.data) if info.isreg() else None)
    data = out.getvalue()
    return gzip.compress(data, mtime=0) if compress else data


def digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _write_blob(layout: Path, data: bytes) -> str:
    blobs = layout / "blobs" / "sha256"
    blobs.mkdir(parents=True, exist_ok=True)
    (blobs / digest(data)[7:]).write_bytes(data)
    return digest(data)


def oci_layout(layout: Path, layers: list[bytes], *, diff_ids: list[str] | None = None,
               sizes: list[int] | None = None, config: bytes | None = None, tag: str = "latest") -> Path:
    """An OCI image layout of gzip'd ``layers`` (tar bytes); ``diff_ids``/``sizes`` override the
    true ones, ``config`` the config blob."""
    compressed = [gzip.compress(layer, mtime=0) for layer in layers]
    real_diff_ids = [digest(layer) for layer in layers]
    config = config if config is not None else json.dumps({
        "architecture": "amd64", "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": diff_ids or real_diff_ids}}).encode()
    layer_descriptors = [{"mediaType": OCI_LAYER_GZIP, "digest": _write_blob(layout, blob),
                          "size": (sizes or [len(b) for b in compressed])[number]}
                         for number, blob in enumerate(compressed)]
    manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                           "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                                      "digest": _write_blob(layout, config), "size": len(config)},
                           "layers": layer_descriptors}).encode()
    index = {"schemaVersion": 2, "manifests": [{
        "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": _write_blob(layout, manifest),
        "size": len(manifest), "annotations": {"org.opencontainers.image.ref.name": tag}}]}
    (layout / "index.json").write_text(json.dumps(index))
    (layout / "oci-layout").write_text('{"imageLayoutVersion":"1.0.0"}')
    return layout


def docker_archive(path: Path, layers: list[bytes], *, manifest=None, extra: dict[str, bytes] | None = None,
                   skip: tuple[str, ...] = ()) -> Path:
    """A docker-archive of plain ``layers``; ``manifest`` replaces manifest.json's content
    (any JSON value), ``extra`` adds files, ``skip`` leaves named files out."""
    files: dict[str, bytes] = {}
    names = []
    for layer in layers:
        name = f"{digest(layer)[7:]}/layer.tar"
        files[name] = layer
        names.append(name)
    config = json.dumps({"architecture": "amd64", "os": "linux",
                         "rootfs": {"type": "layers", "diff_ids": [digest(layer) for layer in layers]}}).encode()
    files["config.json"] = config
    content = manifest if manifest is not None else [{"Config": "config.json", "RepoTags": [], "Layers": names}]
    files["manifest.json"] = json.dumps(content).encode()
    files.update(extra or {})
    with tarfile.open(path, "w") as tar:
        for name, data in files.items():
            if name in skip:
                continue
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def build(tmp_path: Path, dockerfile: str, *args: str, files: dict[str, bytes] | None = None,
          env: dict[str, str] | None = None, timeout: int = 120) -> subprocess.CompletedProcess:
    """``twelvecheck build`` of ``dockerfile`` in a fresh context, its own cache, as a user runs it."""
    context = tmp_path / "context"
    context.mkdir(exist_ok=True)
    (context / "Dockerfile").write_text(dockerfile)
    for name, data in (files or {}).items():
        (context / name).write_bytes(data)
    argv = [sys.executable, "-m", "twelvecheck", "build", str(context), "--cache-dir", str(tmp_path / "cache"), *args]
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def assert_clean_build_error(result: subprocess.CompletedProcess, *fragments: str) -> None:
    """Exit 1 like every build error, one located message, no traceback or internal error."""
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, (fragment, result.stderr)
