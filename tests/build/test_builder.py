"""Whole builds FROM the busybox base, checked with umoci and skopeo and by reading the result."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tarfile
import textwrap
import time

import pytest
from conftest import require_tool

from twelvecheck.build.builder import BuildError, build

MULTI_STAGE = """\
ARG BASE=busybox
FROM ${BASE} AS builder
ARG GREETING=hello
ENV APP_HOME=/opt/app
WORKDIR $APP_HOME
RUN echo "$GREETING from $APP_HOME" > built.txt && ln -s built.txt latest

FROM busybox
ENV MODE=prod PATH=/app/bin:$PATH
COPY --from=builder /opt/app/ /app/
COPY --chown=nobody:nogroup --chmod=640 config.ini /etc/app/
COPY --chown=1234:5678 data /data
COPY <<EOF /etc/motd
mode=${MODE}
EOF
RUN rm /etc/busybox-base-release && ln -s /app/built.txt /etc/greeting
RUN <<EOF
set -e
mkdir -p /var/lib/app
echo ok > /var/lib/app/state
EOF
USER nobody
RUN id -u > /tmp/uid
WORKDIR /srv/www
EXPOSE 8080 53/udp
VOLUME /data
LABEL org.example.role=test
ENTRYPOINT ["/bin/cat"]
CMD ["/app/built.txt"]
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD cat /var/lib/app/state
"""


def write_context(directory, dockerfile: str, files: dict[str, str]) -> str:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "Dockerfile").write_text(dockerfile)
    for name, content in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    return str(directory)


@pytest.fixture(scope="module")
def context(tmp_path_factory):
    return write_context(tmp_path_factory.mktemp("context"), MULTI_STAGE, {
        "config.ini": "[app]\nport=8080\n", "data/one.txt": "1\n", "data/nested/two.txt": "22\n",
        "secret.key": "do not ship\n", ".dockerignore": "*.key\n",
    })


@pytest.fixture(scope="module")
def built(tmp_path_factory, context, busybox_base):
    """The multi-stage image, built once for this module (its RUNs need both runtimes)."""
    require_tool("bwrap", "bubblewrap")
    require_tool("runc", "runc")
    work = tmp_path_factory.mktemp("built")
    output = work / "image"
    image = build(context, tag="localhost/demo:1", bases={"busybox": f"oci:{busybox_base}:latest"},
                  output=f"oci:{output}", cache_dir=str(work / "cache"))
    return image, output, work / "cache"


def unpacked(output, tmp_path, tag="1"):
    bundle = tmp_path / "bundle"
    subprocess.run(["umoci", "unpack", "--image", f"{output}:{tag}", str(bundle)], check=True, capture_output=True)
    return bundle / "rootfs"


def test_the_image_is_accepted_by_umoci_and_skopeo(built, tmp_path, real_tools_accept):
    image, output, _ = built
    real_tools_accept(output, "1", tmp_path)
    archive = tmp_path / "demo.docker.tar"
    image.write(f"docker-archive:{archive}")
    inspected = subprocess.run(["skopeo", "inspect", f"docker-archive:{archive}"], capture_output=True, text=True)
    assert inspected.returncode == 0, inspected.stderr
    assert json.loads(inspected.stdout)["Digest"]
    copied = subprocess.run(["skopeo", "copy", "-q", f"docker-archive:{archive}", f"oci:{tmp_path / 'back'}:x"],
                            capture_output=True, text=True)
    assert copied.returncode == 0, copied.stderr


def test_config_fields(built):
    config = json.loads(built[0].config.data)["config"]
    assert config["Env"] == ["PATH=/app/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "MODE=prod"]
    assert config["User"] == "nobody" and config["WorkingDir"] == "/srv/www"
    assert config["ExposedPorts"] == {"8080/tcp": {}, "53/udp": {}}
    assert config["Volumes"] == {"/data": {}}
    assert config["Labels"]["org.example.role"] == "test"
    assert config["Entrypoint"] == ["/bin/cat"] and config["Cmd"] == ["/app/built.txt"]
    assert config["StopSignal"] == "SIGTERM"
    assert config["Healthcheck"] == {"Test": ["CMD-SHELL", "cat /var/lib/app/state"], "Interval": 30_000_000_000,
                                     "Timeout": 5_000_000_000, "Retries": 3}


def test_filesystem_has_owners_modes_links_and_whiteouts(built, tmp_path):
    rootfs = unpacked(built[1], tmp_path)
    assert (rootfs / "app" / "built.txt").read_text() == "hello from /opt/app\n"
    assert os.readlink(rootfs / "app" / "latest") == "built.txt"
    assert os.readlink(rootfs / "etc" / "greeting") == "/app/built.txt"
    config = os.stat(rootfs / "etc" / "app" / "config.ini")
    assert (config.st_uid, config.st_gid, config.st_mode & 0o7777) == (65534, 65534, 0o640)
    two = os.stat(rootfs / "data" / "nested" / "two.txt")
    assert (two.st_uid, two.st_gid) == (1234, 5678)
    assert not (rootfs / "etc" / "busybox-base-release").exists()
    assert (rootfs / "etc" / "motd").read_text() == "mode=prod\n"
    assert (rootfs / "tmp" / "uid").read_text() == "65534\n"
    assert os.stat(rootfs / "tmp" / "uid").st_uid == 65534
    assert os.stat(rootfs / "srv" / "www").st_uid == 65534  # WORKDIR is created for the USER
    assert (rootfs / "var" / "lib" / "app" / "state").read_text() == "ok\n"
    assert not (rootfs / "secret.key").exists()
    assert not (rootfs / "proc").exists() or os.listdir(rootfs / "proc") == []


def test_each_layer_records_its_instruction_and_changes(built):
    image = built[0]
    assert len(image.records) == len(image.layers) == len(image.manifest.layers)
    by_instruction = {record.created_by.split("\n")[0]: record for record in image.records}
    removal = by_instruction["RUN rm /etc/busybox-base-release && ln -s /app/built.txt /etc/greeting"]
    assert ("/etc/busybox-base-release", "deleted") in {(c.path, c.kind) for c in removal.changes}
    copy = by_instruction["COPY --chown=1234:5678 data /data"]
    assert {(c.path, c.size) for c in copy.changes if c.type == "file"} == {("/data/one.txt", 2), ("/data/nested/two.txt", 3)}
    assert image.records[0].changes is None  # the base layer: not made by us
    history = json.loads(image.config.data)["history"]
    assert sum(not entry.get("empty_layer") for entry in history) == len(image.layers)


def test_two_clean_builds_have_the_same_digest_and_a_rebuild_is_cached(tmp_path, context, busybox_base, built):
    image, _, cache = built
    bases = {"busybox": f"oci:{busybox_base}:latest"}
    clean = build(context, bases=bases, cache_dir=str(tmp_path / "other-cache"))
    assert clean.digest == image.digest
    lines: list[str] = []
    started = time.perf_counter()
    again = build(context, bases=bases, cache_dir=str(cache), progress=lines.append)
    elapsed = time.perf_counter() - started
    assert again.digest == image.digest
    assert sum(line.endswith("CACHED") for line in lines) == 10  # every filesystem step of both stages
    assert elapsed < 0.5


def test_target_builds_only_the_stages_it_needs(tmp_path, busybox_base):
    require_tool("bwrap", "bubblewrap")
    context = write_context(tmp_path / "ctx", textwrap.dedent("""\
        FROM busybox AS first
        RUN echo first > /first
        FROM busybox AS broken
        RUN exit 7
        FROM first AS final
        RUN cat /first > /copied
    """), {})
    bases = {"busybox": f"oci:{busybox_base}:latest"}
    image = build(context, target="final", bases=bases, cache_dir=str(tmp_path / "cache"))
    assert len(image.layers) == 3
    with pytest.raises(BuildError, match="status 7"):
        build(context, target="broken", bases=bases, cache_dir=str(tmp_path / "cache"))


def test_an_unknown_base_names_the_option_to_use(tmp_path):
    context = write_context(tmp_path / "ctx", "FROM debian:12\n", {})
    with pytest.raises(BuildError, match="--base debian:12=oci:DIR"):
        build(context, cache_dir=str(tmp_path / "cache"))


def test_scratch_with_add_archive_wildcards_and_entrypoint_resetting_inherited_cmd(tmp_path, real_tools_accept):
    context = tmp_path / "ctx"
    (context / "payload").mkdir(parents=True)
    (context / "payload" / "a.txt").write_text("a")
    (context / "payload" / "b.md").write_text("b")
    with tarfile.open(context / "bundle.tar.gz", "w:gz") as archive:
        archive.add(context / "payload", arcname="payload")
    write_context(context, textwrap.dedent("""\
        FROM scratch AS base
        CMD ["inherited"]
        FROM base
        ADD bundle.tar.gz /opt/
        COPY payload/*.txt /files/
        ENTRYPOINT ["/run"]
    """), {})
    output = tmp_path / "image"
    image = build(str(context), tag="scratchy:v1", output=f"oci:{output}", cache_dir=str(tmp_path / "cache"))
    config = json.loads(image.config.data)["config"]
    assert config["Entrypoint"] == ["/run"] and "Cmd" not in config
    real_tools_accept(output, "v1", tmp_path)
    changed = {c.path for record in image.records for c in record.changes}
    assert {"/opt/payload/a.txt", "/opt/payload/b.md", "/files/a.txt"} <= changed
    assert "/files/b.md" not in changed


def test_a_docker_archive_works_as_a_base(tmp_path, busybox_base):
    require_tool("bwrap", "bubblewrap")
    context = write_context(tmp_path / "ctx", "FROM busybox\nRUN echo hi > /hi\n", {})
    from_layout = build(context, bases={"busybox": f"oci:{busybox_base}:latest"}, cache_dir=str(tmp_path / "c1"))
    from_archive = build(context, bases={"busybox": f"docker-archive:{busybox_base}.docker.tar"},
                         cache_dir=str(tmp_path / "c2"))
    assert from_archive.config.diff_ids == from_layout.config.diff_ids


def test_build_args_predefined_args_shell_and_onbuild(tmp_path, busybox_base):
    require_tool("bwrap", "bubblewrap")
    context = write_context(tmp_path / "ctx", textwrap.dedent("""\
        ARG VERSION=1.0
        FROM busybox
        ARG VERSION
        ARG TARGETARCH
        ENV V=$VERSION
        SHELL ["/bin/sh", "-ec"]
        RUN echo "$VERSION $TARGETARCH $0" > /v
        ONBUILD RUN echo later
        CMD echo hi
    """), {})
    image = build(context, bases={"busybox": f"oci:{busybox_base}:latest"}, build_args={"VERSION": "2.0"},
                  cache_dir=str(tmp_path / "cache"))
    config = json.loads(image.config.data)["config"]
    assert "V=2.0" in config["Env"] and not any(entry.startswith("VERSION=") for entry in config["Env"])
    assert config["Shell"] == ["/bin/sh", "-ec"] and config["Cmd"] == ["/bin/sh", "-ec", "echo hi"]
    assert config["OnBuild"] == ["RUN echo later"]
    with tarfile.open(image.blob_path(image.layers[-1].descriptor.digest)) as layer:
        assert layer.extractfile("v").read() == f"2.0 {image.config.platform.architecture} /bin/sh\n".encode()


def test_a_tampered_base_layer_is_refused(tmp_path, busybox_base):
    from twelvecheck.build.digest import DigestMismatch

    tampered = tmp_path / "tampered"
    shutil.copytree(busybox_base, tampered)
    index = json.loads((tampered / "index.json").read_text())
    manifest_blob = tampered / "blobs" / "sha256" / index["manifests"][0]["digest"].split(":")[1]
    layer_digest = json.loads(manifest_blob.read_text())["layers"][0]["digest"]
    with open(tampered / "blobs" / "sha256" / layer_digest.split(":")[1], "ab") as layer:
        layer.write(b"\0")
    context = write_context(tmp_path / "ctx", "FROM busybox\n", {})
    with pytest.raises(DigestMismatch, match=layer_digest):
        build(context, bases={"busybox": f"oci:{tampered}:latest"}, cache_dir=str(tmp_path / "cache"))


def test_concurrent_builds_sharing_a_cache_agree(tmp_path, context, busybox_base, built):
    from concurrent.futures import ThreadPoolExecutor

    cache = str(tmp_path / "shared-cache")
    bases = {"busybox": f"oci:{busybox_base}:latest"}
    with ThreadPoolExecutor(max_workers=3) as pool:
        digests = list(pool.map(lambda _: build(context, bases=bases, cache_dir=cache).digest, range(3)))
    assert digests == [built[0].digest] * 3
    assert build(context, bases=bases, cache_dir=cache).digest == built[0].digest
