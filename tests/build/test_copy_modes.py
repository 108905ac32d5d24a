"""COPY/ADD --chmod and --chown as BuildKit applies them (each expectation below was observed on
BuildKit, docker 20.10; tests/build/test_parity_debian.py compares the same shapes against it live).

What is copied takes --chmod/--chown; directories created to hold it are 0755 with --chown's
owner; an existing destination directory keeps its own mode and owner.
"""

from __future__ import annotations

import io
import os
import re
import tarfile
import textwrap

import pytest

from twelvecheck.build.builder import BuildError, build

PASSWD = "root:x:0:0:root:/root:/bin/sh\napp:x:1234:2345::/home/app:/bin/sh\n"
GROUP = "root:x:0:\napp:x:2345:\ngrp:x:3456:\n"

DOCKERFILE = textwrap.dedent("""\
    FROM scratch
    COPY passwd group /etc/
    COPY tree/ /
    COPY --chmod=0640 dir/ /a/b/c/
    COPY --chmod=640 file.txt /f/g/
    COPY --chmod=0750 dir /existing/
    COPY --chown=1234:5678 dir/ /o1/p/
    COPY --chown=app dir/ /o2/
    COPY --chown=1234 file.txt /o4/
    COPY --chown=app:grp file.txt /o3/
    COPY --chown=app dir /tmp/
    COPY dir /m/
    ADD --chown=app --chmod=0600 app.tar /t/
""")

# path -> (mode, uid, gid) in the final filesystem
EXPECTED = {
    "a": (0o755, 0, 0), "a/b": (0o755, 0, 0), "a/b/c": (0o755, 0, 0),  # created: 0755 despite --chmod
    "a/b/c/b.txt": (0o640, 0, 0), "a/b/c/sub": (0o640, 0, 0), "a/b/c/sub/c.txt": (0o640, 0, 0),
    "f/g": (0o755, 0, 0), "f/g/file.txt": (0o640, 0, 0),
    "existing": (0o700, 0, 0), "existing/sub": (0o750, 0, 0),  # an existing destination keeps its mode
    "o1": (0o755, 1234, 5678), "o1/p": (0o755, 1234, 5678), "o1/p/sub": (0o700, 1234, 5678),
    "o2": (0o755, 1234, 2345), "o2/b.txt": (0o644, 1234, 2345),  # a name: its primary group
    "o4/file.txt": (0o600, 1234, 1234),  # a bare uid: gid = uid, whatever /etc/passwd says
    "o3/file.txt": (0o600, 1234, 3456),
    "tmp": (0o1777, 0, 0), "tmp/b.txt": (0o644, 1234, 2345),  # /tmp stays 1777 root
    "m/sub": (0o700, 0, 0),  # an existing directory inside the copied tree takes the source's
    "t": (0o755, 1234, 2345), "t/packed.txt": (0o604, 7, 8),  # a tar keeps its own owners and modes
}


def write_tree(context) -> None:
    files = {"passwd": PASSWD, "group": GROUP, "file.txt": "f\n", "dir/b.txt": "b\n", "dir/sub/c.txt": "c\n",
             "tree/existing/.keep": "", "tree/tmp/.keep": "", "tree/m/sub/old": "old\n"}
    for name, content in files.items():
        (context / name).parent.mkdir(parents=True, exist_ok=True)
        (context / name).write_text(content)
    for name, mode in {"file.txt": 0o600, "dir": 0o751, "dir/b.txt": 0o644, "dir/sub": 0o700,
                       "tree/existing": 0o700, "tree/tmp": 0o1777, "tree/m/sub": 0o711}.items():
        os.chmod(context / name, mode)
    with tarfile.open(context / "app.tar", "w") as archive:
        member = tarfile.TarInfo("packed.txt")
        member.size, member.mode, member.uid, member.gid = 2, 0o604, 7, 8
        archive.addfile(member, io.BytesIO(b"p\n"))


def final_modes(image) -> dict[str, tuple[int, int, int]]:
    facts = {}
    for layer in image.layers:
        with tarfile.open(image.blob_path(layer.descriptor.digest)) as archive:
            for member in archive:
                facts[member.name.rstrip("/")] = (member.mode, member.uid, member.gid)
    return facts


def test_chmod_and_chown_apply_to_what_is_copied_not_to_the_directories_holding_it(tmp_path):
    context = tmp_path / "ctx"
    context.mkdir()
    (context / "Dockerfile").write_text(DOCKERFILE)
    write_tree(context)
    facts = final_modes(build(str(context), cache_dir=str(tmp_path / "cache")))
    assert {path: facts.get(path) for path in EXPECTED} == EXPECTED


def test_a_created_destination_is_traversable_whatever_the_umask(tmp_path):
    context = tmp_path / "ctx"
    context.mkdir()
    (context / "Dockerfile").write_text("FROM scratch\nCOPY --chmod=0600 dir/ /deep/er/\n")
    (context / "dir").mkdir()
    (context / "dir" / "x").write_text("x")
    previous = os.umask(0o077)
    try:
        facts = final_modes(build(str(context), cache_dir=str(tmp_path / "cache")))
    finally:
        os.umask(previous)
    assert (facts["deep"][0], facts["deep/er"][0], facts["deep/er/x"][0]) == (0o755, 0o755, 0o600)


@pytest.mark.parametrize("chown, message", [
    ("nosuch", "unable to find user nosuch"),
    ("1234:nosuchgroup", "unable to find group nosuchgroup"),
])
def test_an_unknown_chown_name_is_an_error_where_buildkit_quietly_uses_0(tmp_path, chown, message):
    """BuildKit (docker 20.10) gives uid 0 for an unknown user and gid = uid for an unknown group,
    without a word; we stop (docs/builder.md, "Differences from BuildKit")."""
    context = tmp_path / "ctx"
    context.mkdir()
    (context / "Dockerfile").write_text(f"FROM scratch\nCOPY passwd /etc/passwd\nCOPY --chown={chown} passwd /x\n")
    (context / "passwd").write_text(PASSWD)
    with pytest.raises(BuildError, match=f"line 3: COPY: {message}"):
        build(str(context), cache_dir=str(tmp_path / "cache"))


def test_a_source_that_cannot_be_copied_fails_the_build_naming_it(tmp_path):
    context = tmp_path / "ctx"
    context.mkdir()
    (context / "Dockerfile").write_text("FROM scratch\nCOPY ok.txt /\nCOPY ok.txt gone.txt /d/\n")
    (context / "ok.txt").write_text("ok")
    os.symlink("missing.txt", context / "gone.txt")
    with pytest.raises(BuildError, match="line 3: COPY: COPY source 'gone.txt' is a dangling symlink"):
        build(str(context), cache_dir=str(tmp_path / "cache"))


@pytest.mark.parametrize("chmod", ["u+x", "0999", "77777"])
def test_a_chmod_that_is_not_an_octal_mode_names_the_line(tmp_path, chmod):
    context = tmp_path / "ctx"
    context.mkdir()
    (context / "Dockerfile").write_text(f"FROM scratch\nCOPY --chmod={chmod} f /f\n")
    (context / "f").write_text("f")
    with pytest.raises(BuildError, match=f"line 2: --chmod={re.escape(chmod)}: expected an octal mode"):
        build(str(context), cache_dir=str(tmp_path / "cache"))
