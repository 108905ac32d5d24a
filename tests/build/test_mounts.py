"""RUN --mount=type=secret and type=bind: visible to the step, never in a layer or the cache."""

from __future__ import annotations

import gzip
import io
import os
import subprocess
import sys
import tarfile
import textwrap

import pytest
from conftest import require_tool
from test_builder import write_context

from twelvecheck.build.builder import BuildError, build
from twelvecheck.build.secrets import SecretSource, parse_secret_option

SECRET = b"s3cr3t-value-that-must-not-ship"


def layer_members(image) -> dict[str, bytes | None]:
    """Every member of every layer we made (not the base), name -> content (None for non-files)."""
    members: dict[str, bytes | None] = {}
    for record, layer in zip(image.records, image.layers):
        if record.changes is None:
            continue
        with tarfile.open(image.blob_path(layer.descriptor.digest)) as archive:
            for member in archive:
                members[member.name] = archive.extractfile(member).read() if member.isfile() else None
    return members


def cache_files_holding(cache_dir, needle: bytes) -> list[str]:
    """Files under the cache directory whose bytes (or, for a gzip blob, whose tar's file members
    other than /tmp/copy) contain ``needle``."""
    found = []
    for directory, _, names in os.walk(cache_dir):
        for name in names:
            path = os.path.join(directory, name)
            with open(path, "rb") as handle:
                data = handle.read()
            if data[:2] == b"\x1f\x8b":
                with tarfile.open(fileobj=io.BytesIO(gzip.decompress(data))) as archive:
                    if any(needle in archive.extractfile(m).read() for m in archive if m.isfile() and m.name != "tmp/copy"):
                        found.append(path)
            elif needle in data:
                found.append(path)
    return found


def test_a_secret_is_mounted_for_its_step_and_lands_only_where_the_step_copied_it(tmp_path, busybox_base, monkeypatch):
    require_tool("bwrap", "bubblewrap")
    context = write_context(tmp_path / "ctx", textwrap.dedent("""\
        FROM busybox
        RUN --mount=type=secret,id=token cat /run/secrets/token && cat /run/secrets/token > /tmp/copy
        RUN --mount=type=secret,id=token,target=/etc/app.key,required=true test -s /etc/app.key
        RUN --mount=type=secret,id=fromenv,env=TOKEN test "$TOKEN" = from-the-environment
        RUN --mount=type=secret,id=absent test ! -e /run/secrets/absent
    """), {})
    (tmp_path / "token").write_bytes(SECRET)
    cache = tmp_path / "cache"
    result = subprocess.run(
        [sys.executable, "-m", "twelvecheck", "build", context, "--base", f"busybox=oci:{busybox_base}:latest",
         "--secret", f"id=token,src={tmp_path / 'token'}", "--secret", "id=fromenv,env=BUILD_TOKEN",
         "--cache-dir", str(cache), "--output", f"oci:{tmp_path / 'out'}"],
        capture_output=True, text=True, timeout=300, env={**os.environ, "BUILD_TOKEN": "from-the-environment"})
    assert result.returncode == 0, result.stderr
    assert SECRET.decode() in result.stderr  # the step printed it: shown like docker build shows output
    monkeypatch.setenv("BUILD_TOKEN", "from-the-environment")
    lines: list[str] = []
    image = build(context, bases={"busybox": f"oci:{busybox_base}:latest"}, cache_dir=str(cache), progress=lines.append,
                  secrets=[SecretSource("token", file=str(tmp_path / "token")), SecretSource("fromenv", env="BUILD_TOKEN")])
    assert sum(line.endswith("CACHED") for line in lines) == 4  # the same build as the CLI's
    members = layer_members(image)
    assert members["tmp/copy"] == SECRET
    assert not [name for name in members if name.startswith(("run/secrets", "etc/app.key"))]
    assert len(image.layers) == 2  # the base and the copying step: the reading steps left nothing
    assert cache_files_holding(cache, SECRET) == []


def test_the_cache_key_has_the_secret_id_but_not_its_content(tmp_path, busybox_base):
    require_tool("bwrap", "bubblewrap")
    bases = {"busybox": f"oci:{busybox_base}:latest"}
    (tmp_path / "one").write_text("first")
    (tmp_path / "two").write_text("rotated")
    dockerfile = "FROM busybox\nRUN --mount=type=secret,id={id},required=true wc -c /run/secrets/{id} > /size\n"
    context = write_context(tmp_path / "ctx", dockerfile.format(id="a"), {})
    cache = str(tmp_path / "cache")
    first = build(context, bases=bases, cache_dir=cache, secrets=[SecretSource("a", file=str(tmp_path / "one"))])
    lines: list[str] = []
    rotated = build(context, bases=bases, cache_dir=cache, secrets=[SecretSource("a", file=str(tmp_path / "two"))],
                    progress=lines.append)
    assert rotated.digest == first.digest and lines[-1].endswith("CACHED")
    write_context(tmp_path / "ctx", dockerfile.format(id="b"), {})
    lines.clear()
    other = build(context, bases=bases, cache_dir=cache, secrets=[SecretSource("b", file=str(tmp_path / "one"))],
                  progress=lines.append)
    assert not any(line.endswith("CACHED") for line in lines) and other.digest != first.digest
    with pytest.raises(BuildError, match="secret 'b' is required"):
        build(context, bases=bases, cache_dir=cache)


def test_secret_options_parse_like_buildx(monkeypatch):
    assert parse_secret_option("id=x,src=/f") == SecretSource("x", file="/f")
    assert parse_secret_option("id=x,env=VAR") == SecretSource("x", env="VAR")
    monkeypatch.setenv("X_TOKEN", "1")
    assert parse_secret_option("id=X_TOKEN") == SecretSource("X_TOKEN", env="X_TOKEN")
    with pytest.raises(ValueError, match="needs id"):
        parse_secret_option("src=/f")


def test_bind_mounts_read_the_context_or_a_stage_and_leave_nothing_behind(tmp_path, busybox_base):
    require_tool("bwrap", "bubblewrap")
    context = write_context(tmp_path / "ctx", textwrap.dedent("""\
        FROM busybox AS tools
        RUN echo tool > /tool.txt
        FROM busybox
        RUN --mount=type=bind,target=/ctx cat /ctx/data.txt > /from-context && test ! -e /ctx/ignored.key && ! touch /ctx/new 2>/dev/null
        RUN --mount=type=bind,from=tools,source=/tool.txt,target=/mnt/tool.txt cat /mnt/tool.txt > /from-stage
        RUN --mount=type=bind,source=.,target=/w,rw echo changed > /w/data.txt && echo new > /w/new
        RUN --mount=type=bind,from=busybox,source=/etc/passwd,target=/tmp/passwd cp /tmp/passwd /from-image
    """), {"data.txt": "data\n", "ignored.key": "no\n", ".dockerignore": "*.key\n"})
    bases = {"busybox": f"oci:{busybox_base}:latest"}
    cache = str(tmp_path / "cache")
    image = build(context, bases=bases, cache_dir=cache)
    members = layer_members(image)
    assert members["from-context"] == b"data\n" and members["from-stage"] == b"tool\n"
    assert members["from-image"].startswith(b"root:")
    assert not [name for name in members if name.startswith(("ctx", "mnt", "w/", "w", "tmp"))]
    assert (tmp_path / "ctx" / "data.txt").read_text() == "data\n" and not (tmp_path / "ctx" / "new").exists()
    lines: list[str] = []
    (tmp_path / "ctx" / "ignored.key").write_text("changed, but ignored\n")
    assert build(context, bases=bases, cache_dir=cache, progress=lines.append).digest == image.digest
    (tmp_path / "ctx" / "data.txt").write_text("other\n")
    lines.clear()
    rebuilt = build(context, bases=bases, cache_dir=cache, progress=lines.append)
    assert layer_members(rebuilt)["from-context"] == b"other\n"
