""".dockerignore matching and COPY's view of the context: nothing outside it is ever read."""

import os

import pytest

from twelvecheck.build.context import SourceNotFound, SourceTree
from twelvecheck.build.copy import Attributes, copy_into
from twelvecheck.parse.dockerignore import parse_dockerignore

IGNORE = """\
# comment
node_modules
**/*.log
!keep.log
/build/
docs/*.md
!docs/README.md
"""


@pytest.mark.parametrize("path, excluded", [
    ("node_modules/pkg/index.js", True),
    ("a/b/c.log", True),
    ("x.log", True),
    ("keep.log", False),
    ("build/out.bin", True),
    ("docs/a.md", True),
    ("docs/README.md", False),
    ("docs/sub/a.md", False),
    ("src/main.py", False),
])
def test_dockerignore_matches_like_moby(path, excluded):
    assert parse_dockerignore(IGNORE).excludes(path) is excluded


def test_a_context_symlink_cannot_reach_host_files(tmp_path):
    context = tmp_path / "context"
    context.mkdir()
    (tmp_path / "host-secret").write_text("host")
    os.symlink(str(tmp_path / "host-secret"), context / "absolute")
    os.symlink("../host-secret", context / "relative")
    tree = SourceTree.build_context(str(context))
    for name in ("absolute", "relative"):
        with pytest.raises(SourceNotFound):
            tree.select(name)


def test_a_symlink_inside_a_copied_directory_is_copied_as_a_link(tmp_path):
    context = tmp_path / "context"
    (context / "dir").mkdir(parents=True)
    os.symlink("/etc/shadow", context / "dir" / "shadow")
    rootfs = tmp_path / "rootfs"
    rootfs.mkdir()
    copy_into(SourceTree.build_context(str(context)), ["dir"], str(rootfs), "/dst", Attributes())
    assert os.readlink(rootfs / "dst" / "shadow") == "/etc/shadow"


def test_copy_writes_through_image_symlinks_but_stays_in_the_rootfs(tmp_path):
    context = tmp_path / "context"
    context.mkdir()
    (context / "lib.so").write_text("x")
    rootfs = tmp_path / "rootfs"
    (rootfs / "usr" / "lib").mkdir(parents=True)
    os.symlink("usr/lib", rootfs / "lib")
    os.symlink("/../../..", rootfs / "escape")
    copy_into(SourceTree.build_context(str(context)), ["lib.so"], str(rootfs), "/lib/", Attributes())
    copy_into(SourceTree.build_context(str(context)), ["lib.so"], str(rootfs), "/escape/", Attributes())
    assert (rootfs / "usr" / "lib" / "lib.so").read_text() == "x"
    assert (rootfs / "lib.so").exists()  # '/escape' resolved to the rootfs root, not the host's
    assert sorted(os.listdir(tmp_path)) == ["context", "rootfs"]


def test_ignored_files_are_not_copied_and_not_found(tmp_path):
    context = tmp_path / "context"
    (context / "app").mkdir(parents=True)
    (context / "app" / "main.py").write_text("main")
    (context / "app" / "debug.log").write_text("log")
    (context / ".dockerignore").write_text("**/*.log\n")
    tree = SourceTree.build_context(str(context))
    rootfs = tmp_path / "rootfs"
    rootfs.mkdir()
    copy_into(tree, ["app"], str(rootfs), "/app", Attributes())
    assert os.listdir(rootfs / "app") == ["main.py"]
    with pytest.raises(SourceNotFound):
        tree.select("app/debug.log")
    before = tree.content_digest(["app"])
    (context / "app" / "debug.log").write_text("changed")
    assert tree.content_digest(["app"]) == before  # ignored files do not bust the cache
