""".dockerignore matching and COPY's view of the context: nothing outside it is ever read."""

import os

import pytest

import stat

from twelvecheck.build.context import BadSource, SourceNotFound, SourceTree
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
    os.mkdir(context / "dir")
    os.symlink("../..", context / "dir" / "up")
    tree = SourceTree.build_context(str(context))
    for name in ("absolute", "relative", "dir/up/host-secret", "abs*"):
        with pytest.raises(BadSource, match="outside the build context"):
            tree.select(name)
    # BuildKit would read the context's own etc/passwd for a link to /etc/passwd; we refuse.
    (context / "etc").mkdir()
    (context / "etc" / "passwd").write_text("the context's")
    os.symlink("/etc/passwd", context / "passwd-link")
    with pytest.raises(BadSource, match="'passwd-link' is a symlink to '/etc/passwd'"):
        tree.select("passwd-link")


def test_a_named_symlink_is_followed_and_copied_under_its_own_name(tmp_path):
    context = tmp_path / "context"
    (context / "dir" / "sub").mkdir(parents=True)
    (context / "real.txt").write_text("content")
    (context / "dir" / "sub" / "a.txt").write_text("a")
    os.symlink("real.txt", context / "link.txt")
    os.symlink("dir", context / "dir-link")
    os.symlink("sub/a.txt", context / "dir" / "inner-link")
    rootfs = tmp_path / "rootfs"
    rootfs.mkdir()
    tree = SourceTree.build_context(str(context))
    copy_into(tree, ["link.txt"], str(rootfs), "/one/", Attributes())
    copy_into(tree, ["link.txt"], str(rootfs), "/renamed", Attributes())
    copy_into(tree, ["dir-link"], str(rootfs), "/two", Attributes())
    copy_into(tree, ["*-link", "link.*"], str(rootfs), "/three/", Attributes())
    assert os.listdir(rootfs / "one") == ["link.txt"]
    for path in ("one/link.txt", "renamed", "three/link.txt"):
        assert not os.path.islink(rootfs / path) and (rootfs / path).read_text() == "content"
    for directory in ("two", "three"):  # a linked directory's contents; links inside stay links
        assert (rootfs / directory / "sub" / "a.txt").read_text() == "a"
        assert os.readlink(rootfs / directory / "inner-link") == "sub/a.txt"
    assert sorted(os.listdir(rootfs / "three")) == ["inner-link", "link.txt", "sub"]
    digest = tree.content_digest(["link.txt"])
    os.rename(context / "link.txt", context / "other-link.txt")
    assert tree.content_digest(["other-link.txt"]) != digest  # the name is part of what is copied


@pytest.mark.parametrize("name, error, message", [
    ("dangling", SourceNotFound, "'dangling' is a dangling symlink \\(to 'nowhere'"),
    ("dang*", SourceNotFound, "'dangling' \\(from 'dang\\*'\\) is a dangling symlink"),
    ("to-ignored", SourceNotFound, "is a symlink to 'ignored.txt', which .dockerignore excludes"),
    ("fifo", BadSource, "'fifo' is not a regular file, directory or symlink"),
    ("fifo-link", BadSource, "'fifo-link' is not a regular file"),
])
def test_a_named_source_that_cannot_be_copied_is_an_error_naming_it(tmp_path, name, error, message):
    context = tmp_path / "context"
    context.mkdir()
    (context / "ignored.txt").write_text("x")
    (context / ".dockerignore").write_text("ignored.txt\n")
    os.symlink("nowhere", context / "dangling")
    os.symlink("ignored.txt", context / "to-ignored")
    os.mkfifo(context / "fifo")
    os.symlink("fifo", context / "fifo-link")
    with pytest.raises(error, match=message):
        SourceTree.build_context(str(context)).select(name)


def test_special_files_inside_a_copied_directory_are_skipped_as_buildkit_does(tmp_path):
    context = tmp_path / "context"
    (context / "dir").mkdir(parents=True)
    (context / "dir" / "file").write_text("f")
    os.mkfifo(context / "dir" / "fifo")
    rootfs = tmp_path / "rootfs"
    rootfs.mkdir()
    copy_into(SourceTree.build_context(str(context)), ["dir"], str(rootfs), "/d", Attributes())
    assert os.listdir(rootfs / "d") == ["file"]
    assert stat.S_ISFIFO(os.lstat(context / "dir" / "fifo").st_mode)


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
