"""verify --fix: fixes proven by building before and after (twelvecheck/fix_proof.py).

The mechanics run on busybox with a stand-in apt-get (a shell script: ``update`` writes a 64 KiB
package list, ``install`` records each package in dpkg's status, plus a recommended one unless
``--no-install-recommends``); one test runs real apt on the Debian base."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from twelvecheck.cli import main
from twelvecheck.config import Config
from twelvecheck.fix_proof import category, prove_fixes

APT_GET = """#!/bin/sh
mkdir -p /var/lib/apt/lists /var/lib/dpkg
case "$1" in
update) dd if=/dev/zero of=/var/lib/apt/lists/deb_main_Packages bs=1024 count=64 2>/dev/null ;;
install)
  recommends=yes
  for arg in "$@"; do
    case "$arg" in
    --no-install-recommends) recommends=no ;;
    -*|install) ;;
    *) printf 'Package: %s\\nStatus: install ok installed\\nArchitecture: all\\nVersion: 1.0\\n\\n' "$arg" >> /var/lib/dpkg/status ;;
    esac
  done
  if [ $recommends = yes ]; then
    printf 'Package: recommended\\nStatus: install ok installed\\nArchitecture: all\\nVersion: 2.0\\n\\n' >> /var/lib/dpkg/status
  fi ;;
esac
"""

DOCKERFILE = """FROM busybox
COPY apt-get /bin/apt-get
RUN apt-get update && apt-get install -y tool
ADD notes.txt /notes.txt
"""


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("fixproof-cache"))


def _context(tmp_path, dockerfile=DOCKERFILE):
    (tmp_path / "apt-get").write_text(APT_GET)
    (tmp_path / "apt-get").chmod(0o755)
    (tmp_path / "notes.txt").write_text("notes\n")
    (tmp_path / "Dockerfile").write_text(dockerfile)
    return tmp_path


def test_safe_fixes_are_proven_and_the_lists_cleanup_saves_the_lists(tmp_path, busybox_base, cache_dir):
    context = _context(tmp_path)
    plan, proof = prove_fixes(str(context), None, Config(), bases={"busybox": f"oci:{busybox_base}"},
                              cache_dir=cache_dir)
    assert plan.changed and (context / "Dockerfile").read_text() == DOCKERFILE  # nothing written
    assert proof.passed and proof.builds_after and proof.same_packages and proof.same_files
    assert proof.packages_before == proof.packages_after == {"deb": {"tool:all": "1.0", "recommended:all": "2.0"}}
    assert [path for path, _ in proof.differences["cache"]] == ["/var/lib/apt/lists/deb_main_Packages"]
    by_line = {saving.line: saving for saving in proof.savings}
    assert by_line[3].saved == 64 * 1024 and "SH003" in by_line[3].rules  # the lists cleanup
    assert by_line[4].rules == ["DF012"] and by_line[4].saved == 0  # ADD -> COPY: same bytes
    assert proof.bytes_before - proof.bytes_after == 64 * 1024


def test_no_install_recommends_changes_the_packages_and_fails_the_proof(tmp_path, busybox_base, cache_dir):
    context = _context(tmp_path)
    _, proof = prove_fixes(str(context), None, Config(), unsafe=True, bases={"busybox": f"oci:{busybox_base}"},
                           cache_dir=cache_dir)
    assert proof.builds_after and not proof.passed
    assert proof.package_changes == [{"manager": "deb", "package": "recommended:all", "before": "2.0", "after": None}]
    assert [path for path, _ in proof.differences["other"]] == ["/var/lib/dpkg/status"]


def test_a_fix_that_breaks_the_build_is_reported_with_its_line(tmp_path, busybox_base, cache_dir):
    # This stand-in apt-get refuses --no-install-recommends, so the unsafe fix breaks line 3.
    strict = APT_GET.replace("--no-install-recommends) recommends=no ;;", "--no-install-recommends) exit 100 ;;")
    context = _context(tmp_path)
    (context / "apt-get").write_text(strict)
    _, proof = prove_fixes(str(context), None, Config(), unsafe=True, bases={"busybox": f"oci:{busybox_base}"},
                           cache_dir=cache_dir)
    assert proof.builds_after is False and not proof.passed
    assert "Dockerfile (fixed)" in proof.build_error and "line 3" in proof.build_error


def test_cli_writes_only_a_proven_fix_and_reports_it_in_json(tmp_path, busybox_base, cache_dir, monkeypatch):
    context = _context(tmp_path)
    monkeypatch.chdir(context)
    base = f"busybox=oci:{busybox_base}"
    failed = CliRunner().invoke(main, ["verify", "--fix", "--unsafe-fixes", "--base", base, "--cache-dir", cache_dir,
                                       "--format", "json", "."])
    assert failed.exit_code == 1, failed.output
    assert json.loads(failed.output)["fix_proof"]["passed"] is False
    assert (context / "Dockerfile").read_text() == DOCKERFILE
    done = CliRunner().invoke(main, ["verify", "--fix", "--base", base, "--cache-dir", cache_dir, "."])
    assert "Fix proof for Dockerfile" in done.output and "the fixes were written" in done.output, done.output
    fixed = (context / "Dockerfile").read_text()
    assert "rm -rf /var/lib/apt/lists/*" in fixed and "COPY notes.txt" in fixed


def test_paths_are_classified():
    assert category("/var/lib/apt/lists/deb.debian.org_dists_bookworm_InRelease") == "cache"
    assert category("/usr/share/doc/zsh/copyright") == "cache"
    assert category("/var/log/apt/history.log") == "log"
    assert category("/usr/bin/zsh") == "other"
    assert category("/var/lib/dpkg/status") == "other"


def test_apt_on_debian_lists_cleanup_passes_and_no_install_recommends_is_shown(tmp_path, debian_base):
    """One real apt install (wget, which recommends ca-certificates), proven safe and unsafe: three
    builds (the original, each fixed text), kept in a build cache beside the Debian base so a
    later session only reads them."""
    import debian_base as maker

    cache_dir = str(maker.cache_root() / "fix-proof-build-cache")
    (tmp_path / "Dockerfile").write_text("FROM debian:bookworm\nRUN apt-get update && apt-get install -y wget\n")
    bases = {"debian:bookworm": f"oci:{debian_base}:latest"}
    _, safe = prove_fixes(str(tmp_path), None, Config(), bases=bases, network="host", cache_dir=cache_dir)
    assert safe.passed, safe.as_json()
    assert safe.savings[0].rules == ["SH003"] and safe.savings[0].saved > 1_000_000  # bookworm's lists
    _, unsafe = prove_fixes(str(tmp_path), None, Config(), unsafe=True, bases=bases, network="host",
                            cache_dir=cache_dir)
    assert unsafe.builds_after and not unsafe.passed
    assert {change["after"] for change in unsafe.package_changes} == {None}  # recommends left out


def test_nothing_to_fix_builds_nothing_and_passes(tmp_path):
    (tmp_path / "Dockerfile").write_text('FROM scratch\nCOPY notes.txt /notes.txt\n')
    plan, proof = prove_fixes(str(tmp_path), None, Config())
    assert not plan.changed and proof.passed and proof.builds_after is None and proof.problem == "no fix applies"
