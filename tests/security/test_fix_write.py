"""`lint --fix` against hostile or fragile files: concurrent runs, symlinks, hardlinks, owner,
mode, read-only files, a file changed while it is fixed (issue 10, "Concurrent fixes")."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from twelvecheck.config import Config
from twelvecheck.fix import Fixer
from twelvecheck.fix_write import FixRefused, write_fixed

# Several fixes that shift each other's positions and need more than one round (two options
# inserted at the same point), so a fix planned on stale text would corrupt the file.
BROKEN = ("FROM debian:12\nMAINTAINER Jane <jane@example.com>\n"
          "RUN apt-get update && apt-get install curl \\\n    && curl -sSLo /x https://example.com/x\n"
          "run echo done\n")


def _expected(tmp_path: Path) -> str:
    """What one ``--fix`` run makes of BROKEN (computed apart from the files under test)."""
    fixer = Fixer(Config(select=("all",)))
    return fixer.fix_text("dockerfile", "Dockerfile", str(tmp_path / "Dockerfile"), BROKEN).fixed


def _fix(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "twelvecheck", "lint", "--fix", "--fail-on", "never",
                           "--format", "json", *args], cwd=cwd, capture_output=True, text=True, timeout=600)


def test_two_concurrent_fix_runs_over_300_files_leave_every_file_fixed(tmp_path):
    expected = _expected(tmp_path)
    assert expected != BROKEN and "apt-get install -y" in expected
    tree = tmp_path / "tree"
    for index in range(300):
        folder = tree / f"svc{index:03}"
        folder.mkdir(parents=True)
        (folder / "Dockerfile").write_text(BROKEN)
    command = [sys.executable, "-m", "twelvecheck", "lint", "--fix", "--fail-on", "never", "--format", "json",
               "-j", "1", str(tree)]
    runs = [subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    errors = [run.communicate(timeout=900)[1] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], errors
    wrong = [str(p) for p in tree.glob("*/Dockerfile") if p.read_text() != expected]
    assert not wrong, f"{len(wrong)} files not fixed exactly once, e.g. {wrong[0]}:\n{Path(wrong[0]).read_text()}"
    assert not [p for p in tree.rglob("*") if p.name.endswith(".twelvecheck-fix")], "temporary files left behind"


def test_a_symlink_inside_the_tree_stays_a_link_and_its_target_is_fixed(tmp_path):
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "Dockerfile"
    target.write_text(BROKEN)
    (tmp_path / "app").mkdir()
    link = tmp_path / "app" / "Dockerfile"
    link.symlink_to("../real/Dockerfile")
    result = _fix("app", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == "../real/Dockerfile"
    assert target.read_text() == _expected(tmp_path)


def test_a_symlink_leaving_the_tree_is_refused_and_its_target_untouched(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    canary = outside / "Dockerfile"
    canary.write_text(BROKEN)
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "Dockerfile").symlink_to(canary)
    result = _fix(".", cwd=tree)
    assert canary.read_text() == BROKEN
    assert (tree / "Dockerfile").is_symlink()
    assert "outside the linted tree; not fixed" in result.stderr


def test_hardlinks_stay_one_file_and_every_name_sees_the_fix(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = tmp_path / "a" / "Dockerfile"
    first.write_text(BROKEN)
    second = tmp_path / "b" / "Dockerfile"
    os.link(first, second)
    inode = first.stat().st_ino
    result = _fix(".", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert first.stat().st_ino == second.stat().st_ino == inode and first.stat().st_nlink == 2
    assert second.read_text() == _expected(tmp_path)


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_owner_group_and_mode_are_kept(tmp_path):
    path = tmp_path / "Dockerfile"
    path.write_text(BROKEN)
    os.chown(path, 1000, 1001)
    os.chmod(path, 0o640)
    result = _fix(".", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    info = path.stat()
    assert (info.st_uid, info.st_gid, info.st_mode & 0o7777) == (1000, 1001, 0o640)
    assert path.read_text() == _expected(tmp_path)


def test_a_read_only_file_is_refused_with_a_message(tmp_path):
    path = tmp_path / "Dockerfile"
    path.write_text(BROKEN)
    os.chmod(path, 0o444)
    result = _fix(".", cwd=tmp_path)
    assert path.read_text() == BROKEN and path.stat().st_mode & 0o777 == 0o444
    assert "Dockerfile is read-only (mode 0444); not fixed" in result.stderr


def test_a_file_changed_while_it_is_fixed_is_read_again_not_overwritten(tmp_path):
    """Another program (not twelvecheck, so it takes no lock) rewrites the file between our read
    and our write: the fix of the old text must not replace the new text."""
    path = tmp_path / "Dockerfile"
    path.write_text(BROKEN)
    edited = BROKEN.replace("curl \\", "curl wget \\")
    fixer = Fixer(Config(select=("all",)))
    seen = []

    def plan(text):
        seen.append(text)
        if len(seen) == 1:
            path.write_text(edited)  # the other program's save lands while we plan
        return fixer.fix_text("dockerfile", "Dockerfile", str(path), text)

    done = write_fixed(str(path), plan, [str(tmp_path)])
    assert seen == [BROKEN, edited]
    assert path.read_text() == done.fixed
    assert "apt-get install -y curl wget" in path.read_text()


def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "Dockerfile"
    os.mkfifo(fifo)
    with pytest.raises(FixRefused, match="not a regular file"):
        write_fixed(str(fifo), lambda text: None, [str(tmp_path)])
