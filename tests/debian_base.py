"""A real Debian base image for tests: ``mmdebstrap --variant=apt bookworm`` as a one-layer OCI layout.

The rootfs tarball comes from mmdebstrap (Debian package), with its packages taken from this
machine's apt sources; it is wrapped into an OCI image layout (tag ``latest``) by the few lines
below, not by twelvecheck's builder, so the base is a fair input for parity tests.  Making it takes
about 80 s and 165 MB, so it is made once and kept in a cache directory
(``$TWELVECHECK_TEST_CACHE``, else ``$XDG_CACHE_HOME/twelvecheck-tests``, else
``~/.cache/twelvecheck-tests``) under a key of everything that made it: mmdebstrap's version, the
options, the architecture and the apt sources.  A lock keeps parallel test workers from making it
twice.  ``make_debian_base`` raises ``Unavailable`` with a reason when mmdebstrap or the network is
missing; the ``debian_base`` fixture turns that into a skip.
"""

from __future__ import annotations

import contextlib
import fcntl
import glob
import gzip
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

SUITE = "bookworm"
VARIANT = "apt"
# Device nodes are left out: an unprivileged unpacker cannot make them, and runtimes mount /dev.
OPTIONS = (f"--variant={VARIANT}", "--skip=output/dev", "--quiet")
FORMAT = "2"  # bump when the layout written below changes
PATH_ENV = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


class Unavailable(RuntimeError):
    """The base cannot be made here (the message says why)."""


def cache_root() -> Path:
    explicit = os.environ.get("TWELVECHECK_TEST_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "twelvecheck-tests"


def apt_sources() -> list[str]:
    """The host's apt source files, which mmdebstrap takes as mirrors (one-line or deb822)."""
    candidates = ["/etc/apt/sources.list", *sorted(glob.glob("/etc/apt/sources.list.d/*.list")),
                  *sorted(glob.glob("/etc/apt/sources.list.d/*.sources"))]
    return [path for path in candidates if os.path.isfile(path) and os.path.getsize(path) > 0]


def _architecture() -> str:
    return subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True, check=True).stdout.strip()


def cache_key(mmdebstrap: str) -> str:
    version = subprocess.run([mmdebstrap, "--version"], capture_output=True, text=True).stdout.strip()
    digest = hashlib.sha256()
    for part in (FORMAT, version, SUITE, *OPTIONS, _architecture()):
        digest.update(part.encode() + b"\0")
    for path in apt_sources():
        digest.update(path.encode() + b"\0" + Path(path).read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def make_debian_base(root: Path | None = None) -> Path:
    """The OCI layout of the base (made now, or found in the cache)."""
    mmdebstrap = shutil.which("mmdebstrap")
    if mmdebstrap is None:
        raise Unavailable("mmdebstrap is not installed (apt-get install mmdebstrap)")
    root = root or cache_root()
    root.mkdir(parents=True, exist_ok=True)
    layout = root / f"debian-{SUITE}-{VARIANT}-{cache_key(mmdebstrap)}"
    with _locked(root / f"{layout.name}.lock"):
        if not (layout / "index.json").exists():
            for stale in root.glob(f"{layout.name}.*/"):  # left by a run that was killed
                shutil.rmtree(stale, ignore_errors=True)
            with tempfile.TemporaryDirectory(prefix=f"{layout.name}.", dir=root) as scratch:
                rootfs_tar = Path(scratch) / "rootfs.tar"
                _mmdebstrap(mmdebstrap, rootfs_tar)
                staged = Path(scratch) / "layout"
                write_layout(rootfs_tar, staged, created_by=f"mmdebstrap {' '.join(OPTIONS)} {SUITE}")
                os.rename(staged, layout)
    return layout


@contextlib.contextmanager
def _locked(path: Path):
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _mmdebstrap(mmdebstrap: str, output: Path) -> None:
    argv = [mmdebstrap, *OPTIONS, SUITE, str(output), *apt_sources()]
    env = {**os.environ, "SOURCE_DATE_EPOCH": "0"}
    result = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True, env=env)
    if result.returncode != 0 or not output.exists():
        tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-5:])
        raise Unavailable(f"mmdebstrap could not make a {SUITE} rootfs (no network or apt mirror?): {tail}")


def write_layout(rootfs_tar: Path, layout: Path, *, created_by: str) -> None:
    """A one-layer OCI image layout (tag ``latest``) of a rootfs tarball: gzip level 1 layer,
    an empty ``/dev`` added, a config with Debian's PATH and ``bash`` as CMD."""
    blobs = layout / "blobs" / "sha256"
    blobs.mkdir(parents=True)
    diff_id = hashlib.sha256()
    compressed = blobs / "layer.partial"
    with open(rootfs_tar, "rb") as source, open(compressed, "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=1, mtime=0) as packed:
            # An empty /dev first, as Debian's own images have (mmdebstrap left its nodes out).
            dev = tarfile.TarInfo("./dev/")
            dev.type, dev.mode = tarfile.DIRTYPE, 0o755
            header = dev.tobuf(format=tarfile.GNU_FORMAT)
            diff_id.update(header)
            packed.write(header)
            while chunk := source.read(1 << 20):
                diff_id.update(chunk)
                packed.write(chunk)
    layer_digest = _sha256_file(compressed)
    os.rename(compressed, blobs / layer_digest)
    config = {
        "architecture": _architecture(), "os": "linux", "created": "1970-01-01T00:00:00Z",
        "config": {"Env": [PATH_ENV], "Cmd": ["bash"]},
        "rootfs": {"type": "layers", "diff_ids": [f"sha256:{diff_id.hexdigest()}"]},
        "history": [{"created": "1970-01-01T00:00:00Z", "created_by": created_by}],
    }
    config_descriptor = _write_blob(blobs, "application/vnd.oci.image.config.v1+json", config)
    manifest = {
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": config_descriptor,
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                    "digest": f"sha256:{layer_digest}", "size": (blobs / layer_digest).stat().st_size}],
    }
    manifest_descriptor = _write_blob(blobs, manifest["mediaType"], manifest)
    manifest_descriptor["annotations"] = {"org.opencontainers.image.ref.name": "latest"}
    (layout / "index.json").write_text(json.dumps({"schemaVersion": 2, "manifests": [manifest_descriptor]}))
    (layout / "oci-layout").write_text(json.dumps({"imageLayoutVersion": "1.0.0"}))


def docker_archive(layout: Path, reference: str) -> Path:
    """``LAYOUT.docker.tar`` for ``docker load`` (made once with skopeo, kept beside the layout)."""
    archive = layout.with_name(layout.name + ".docker.tar")
    with _locked(layout.with_name(layout.name + ".lock")):
        if not archive.exists():
            partial = archive.with_name(archive.name + ".partial")
            partial.unlink(missing_ok=True)
            subprocess.run(["skopeo", "copy", "-q", f"oci:{layout}:latest", f"docker-archive:{partial}:{reference}"],
                           check=True, capture_output=True)
            os.rename(partial, archive)
    return archive


def _write_blob(blobs: Path, media_type: str, document: dict) -> dict:
    data = json.dumps(document, sort_keys=True).encode()
    digest = hashlib.sha256(data).hexdigest()
    (blobs / digest).write_bytes(data)
    return {"mediaType": media_type, "digest": f"sha256:{digest}", "size": len(data)}


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
