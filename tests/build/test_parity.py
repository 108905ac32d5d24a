"""Parity with BuildKit: the same Dockerfile FROM the same busybox base gives the same filesystem
and config.  A private dockerd (Debian's docker.io, built-in BuildKit) runs on a unix socket in a
temp dir, with no bridge and no iptables, and is stopped by its own PID.

Documented differences we ignore: mtimes (ours are clamped to SOURCE_DATE_EPOCH), history text.
The directories of RUN mount points BuildKit leaves behind are a documented difference that
``run-mounts`` pins.  More shapes on a Debian base: test_parity_debian.py.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import time

import pytest
from buildkit import CONFIG_FIELDS, DOCKER, LayerFacts, compare_with_buildkit, write_case
from conftest import require_tool
from test_builder import MULTI_STAGE, write_context
from test_copy_modes import DOCKERFILE as COPY_MODES_DOCKERFILE
from test_copy_modes import write_tree

from twelvecheck.build.builder import build

# Debian's docker 20.10 has no heredoc support in its built-in frontend (that needs a
# `# syntax=` image from the network), so parity uses the suite without its two heredocs.
PARITY_DOCKERFILE = MULTI_STAGE.replace("COPY <<EOF /etc/motd\nmode=${MODE}\nEOF\n", "").replace(
    "RUN <<EOF\nset -e\nmkdir -p /var/lib/app\necho ok > /var/lib/app/state\nEOF\n",
    "RUN mkdir -p /var/lib/app && echo ok > /var/lib/app/state\n")


def tree_facts(rootfs) -> dict[str, tuple]:
    """path -> (type, mode, uid, gid, content hash or link target)."""
    facts = {}
    for parent, dirs, files in os.walk(rootfs):
        for name in dirs + files:
            path = os.path.join(parent, name)
            st = os.lstat(path)
            if stat.S_ISREG(st.st_mode):
                with open(path, "rb") as handle:
                    detail = hashlib.sha256(handle.read()).hexdigest()
            elif stat.S_ISLNK(st.st_mode):
                detail = os.readlink(path)
            else:
                detail = ""
            facts["/" + os.path.relpath(path, rootfs)] = (stat.S_IFMT(st.st_mode), stat.S_IMODE(st.st_mode),
                                                           st.st_uid, st.st_gid, detail)
    return facts


def unpack(layout, tag, target):
    subprocess.run(["umoci", "unpack", "--image", f"{layout}:{tag}", str(target)], check=True, capture_output=True)
    with open(target / "config.json") as handle:
        json.load(handle)
    return target / "rootfs"


def test_same_filesystem_and_config_as_buildkit(dockerd, busybox_base, tmp_path):
    require_tool("skopeo", "skopeo")
    require_tool("umoci", "umoci")
    env, socket = dockerd.env, dockerd.socket
    assert "<<" not in PARITY_DOCKERFILE
    context = write_context(tmp_path / "ctx", PARITY_DOCKERFILE, {
        "config.ini": "[app]\nport=8080\n", "data/one.txt": "1\n", "data/nested/two.txt": "22\n",
        "secret.key": "do not ship\n", ".dockerignore": "*.key\n",
    })
    subprocess.run([DOCKER, "load", "-i", f"{busybox_base}.docker.tar"], env=env, check=True, capture_output=True)
    subprocess.run([DOCKER, "tag", "localhost/busybox:latest", "busybox"], env=env, check=True)
    started = time.perf_counter()
    result = subprocess.run([DOCKER, "build", "--network", "none", "-t", "localhost/parity:bk", context],
                            env=env, capture_output=True, text=True)
    buildkit_seconds = time.perf_counter() - started
    assert result.returncode == 0, result.stderr
    subprocess.run(["skopeo", "copy", "-q", "--src-daemon-host", f"unix://{socket}",
                    "docker-daemon:localhost/parity:bk", f"oci:{tmp_path / 'bk'}:bk"], check=True)
    started = time.perf_counter()
    build(context, tag="parity:ours", bases={"busybox": f"oci:{busybox_base}:latest"},
          output=f"oci:{tmp_path / 'ours'}", cache_dir=str(tmp_path / "cache"))
    ours_seconds = time.perf_counter() - started
    print(f"cold build: BuildKit {buildkit_seconds:.2f}s (without export), twelvecheck {ours_seconds:.2f}s")

    theirs = tree_facts(unpack(tmp_path / "bk", "bk", tmp_path / "bk-bundle"))
    ours = tree_facts(unpack(tmp_path / "ours", "ours", tmp_path / "our-bundle"))
    differences = {path: (theirs.get(path), ours.get(path)) for path in theirs.keys() | ours.keys()
                   if theirs.get(path) != ours.get(path)}
    assert differences == {}

    def config_of(layout, tag):
        inspected = subprocess.run(["skopeo", "inspect", "--config", f"oci:{layout}:{tag}"],
                                   check=True, capture_output=True, text=True)
        config = json.loads(inspected.stdout)["config"]
        return {field: config.get(field) for field in CONFIG_FIELDS}

    assert config_of(tmp_path / "ours", "ours") == config_of(tmp_path / "bk", "bk")


def test_docker_loads_and_runs_our_docker_archive(dockerd, busybox_base, tmp_path):
    env = dockerd.env
    context = write_context(tmp_path / "ctx", PARITY_DOCKERFILE, {
        "config.ini": "[app]\nport=8080\n", "data/one.txt": "1\n", "data/nested/two.txt": "22\n",
    })
    archive = tmp_path / "ours.docker.tar"
    build(context, tag="localhost/ours:run", bases={"busybox": f"oci:{busybox_base}:latest"},
          output=f"docker-archive:{archive}", cache_dir=str(tmp_path / "cache"))
    subprocess.run([DOCKER, "load", "-i", str(archive)], env=env, check=True, capture_output=True)
    ran = subprocess.run([DOCKER, "run", "--rm", "--network", "none", "localhost/ours:run"],
                         env=env, capture_output=True, text=True)
    assert (ran.returncode, ran.stdout) == (0, "hello from /opt/app\n"), ran.stderr


# Every --chmod/--chown shape on busybox, both stages of a two-stage build, each compared with BuildKit.
COPY_MATRIX = """\
FROM busybox AS one
RUN mkdir -p /existing && chmod 700 /existing && echo 'app:x:1234:2345::/home/app:/bin/sh' >> /etc/passwd \\
 && echo 'grp:x:3456:' >> /etc/group && echo 'app:x:2345:' >> /etc/group
COPY --chmod=0640 dir/ /a/b/c/
COPY --chmod=0640 file.txt /f/g/
COPY --chmod=0640 file.txt /f/renamed
COPY --chmod=0750 dir /existing/
COPY --chmod=640 dir /existing2
COPY --chown=1234:5678 dir/ /o1/p/
COPY --chown=app dir/ /o2/p/
COPY --chown=app:grp file.txt /o3/q/
COPY --chown=1234 file.txt /o4/
COPY --chown=app --chmod=0600 dir /o5/x/
COPY --chown=app file.txt /existing/
COPY link-to-file /s1/
COPY link-to-dir /s2/
COPY link-to-file link-to-dir /s3/
COPY link-* /s4/
COPY --chmod=0600 link-to-file /s5
COPY --chown=app d2 /tmp/
ADD --chmod=0640 app.tar /t1/
ADD --chown=app app.tar /t2/
ADD app.tar /t3/
ADD --chown=app:grp --chmod=0600 file.txt /t4/
COPY --chown=1234:grp dir/sub /o6
COPY --chmod=0755 file.txt /existing/replaced.txt
COPY file.txt /existing/replaced.txt
COPY dir /
COPY --chown=app link-to-dir/sub/ /o7/
FROM busybox
COPY --from=one --chown=1234:3456 /a /from-a/
COPY --from=one --chmod=0444 /f /from-f
COPY --from=one /s1/link-to-file /etc/passwd /from-files/
COPY --from=one --chown=1234 /t1 /from-t1
"""
MATRIX_FILES = {"file.txt": "a\n", "%file.txt": 0o600, "dir/b.txt": "b\n", "dir/sub/c.txt": "c\n", "%dir/sub": 0o700,
                "%dir": 0o751, "@dir/link-in-dir": "b.txt", "@link-to-file": "file.txt", "@link-to-dir": "dir",
                "d2/x": "x\n", "~dir/fifo": "", "!app.tar": ""}
RUN_MOUNTS = """\
FROM busybox
RUN --mount=type=bind,source=file.txt,target=/mnt/in/f.txt --mount=type=cache,target=/var/cache/thing \\
    --mount=type=tmpfs,target=/scratch cat /mnt/in/f.txt > /copied && echo x > /var/cache/thing/x
"""
# BuildKit leaves the directories it made for RUN mount points in the layer; we remove them.
MOUNT_POINTS = {"/mnt", "/mnt/in", "/scratch", "/var/cache", "/var/cache/thing"}


@pytest.fixture(scope="module")
def loaded_busybox(dockerd, busybox_base):
    dockerd.docker("load", "-i", f"{busybox_base}.docker.tar")
    dockerd.docker("tag", "localhost/busybox:latest", "busybox")
    return {"busybox": f"oci:{busybox_base}:latest"}


@pytest.mark.parametrize("name, target", [("copy-matrix", "one"), ("copy-matrix", None), ("copy-modes", None),
                                          ("run-mounts", None)])
def test_copy_shapes_match_buildkit(name, target, dockerd, loaded_busybox, tmp_path, tmp_path_factory):
    if name == "copy-modes":
        context = tmp_path / "ctx"
        context.mkdir()
        (context / "Dockerfile").write_text(COPY_MODES_DOCKERFILE)
        write_tree(context)
    else:
        dockerfile, files = {"copy-matrix": (COPY_MATRIX, MATRIX_FILES), "run-mounts": (RUN_MOUNTS, {"file.txt": "f\n"})}[name]
        context = write_case(tmp_path / "ctx", dockerfile, files)
    compared = compare_with_buildkit(dockerd, str(context), loaded_busybox, LayerFacts(), tmp_path, target=target,
                                     cache_dir=tmp_path_factory.getbasetemp() / "busybox-parity-cache")
    print(f"{name}: {compared.timing}")
    found = compared.differences()
    expected = MOUNT_POINTS if name == "run-mounts" else set()
    assert set(found) == expected, found
    assert all(found[path][1] is None and found[path][0][0] == "dir" for path in expected)  # only BuildKit has them
    assert compared.ours_config == compared.theirs_config
