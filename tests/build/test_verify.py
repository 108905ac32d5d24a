"""verify on real images with planted problems: each verdict and its evidence (layer, line, path,
bytes), refutations by a later instruction, by the base image's config and by a glob rm; --image
matching an image's history; hostile images refused.

The busybox base has no apt-get, pip or useradd, so the context brings tiny stand-ins that leave
what the real tools leave where the rules look (lists, caches, dpkg's info files, a sparse
lastlog), which keeps these builds offline and fast.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile

import pytest
from buildkit import DOCKER

from image_factory import file as _file
from image_factory import layout
from image_factory import link as _link

from twelvecheck.build import builder, inspect
from twelvecheck.config import Config
from twelvecheck.verification import VerifyError, verify

TOOLS = {
    "apt-get": """#!/bin/sh
case "$1" in
update) mkdir -p /var/lib/apt/lists
        dd if=/dev/zero of=/var/lib/apt/lists/deb.debian.org_Packages bs=1024 count=200 2>/dev/null ;;
install) shift; mkdir -p /var/lib/dpkg/info /usr/bin /usr/share
        recommends=yes
        for word in "$@"; do
          case "$word" in
            --no-install-recommends) recommends=no ;;
            -*) ;;
            *) touch "/var/lib/dpkg/info/$word.list"; echo "$word" > "/usr/bin/$word-tool" ;;
          esac
          if [ "$word" = gcc ]; then
            echo gcc > /usr/bin/gcc; mkdir -p /usr/lib/gcc/x86_64-linux-gnu/12
            dd if=/dev/zero of=/usr/lib/gcc/x86_64-linux-gnu/12/cc1 bs=1024 count=100 2>/dev/null
          fi
        done
        if [ $recommends = yes ]; then
          touch /var/lib/dpkg/info/ca-certificates.list
          dd if=/dev/zero of=/usr/share/ca-bundle bs=1024 count=30 2>/dev/null
        fi ;;
esac
""",
    "pip": """#!/bin/sh
mkdir -p /root/.cache/pip/wheels /usr/lib/python3/site-packages
dd if=/dev/zero of=/root/.cache/pip/wheels/pkg.whl bs=1024 count=120 2>/dev/null
touch /usr/lib/python3/site-packages/pkg.py
""",
    "useradd": """#!/bin/sh
uid=$2
mkdir -p /var/log
dd if=/dev/zero of=/var/log/lastlog bs=1 count=0 seek=$((uid * 292)) 2>/dev/null
echo "app:x:$uid:$uid::/home/app:/bin/sh" >> /etc/passwd
""",
}

# Line numbers matter: the tests name them.
PLANTED = """\
FROM python:3.12
COPY tools/ /usr/local/bin/
COPY id_ed25519 /root/.ssh/id_ed25519
RUN apt-get update && apt-get install -y curl
RUN pip install flask==3.0.0
RUN rm -rf /var/lib/apt/lists/* /root/.ssh/id_ed25519
RUN apt-get update && apt-get install -y --no-install-recommends gcc && rm -rf /var/lib/ap?/lists/*
RUN rm -rf /usr/bin/gcc /usr/lib/gcc
RUN useradd -u 100000 app
CMD python app.py
"""
KEY = ("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n"
       "-----END OPENSSH PRIVATE KEY-----\n")


def write_files(root, files: dict[str, str], executable=()) -> str:
    for name, text in files.items():
        path = os.path.join(root, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(path, 0o755 if name in executable else 0o644)
    return str(root)


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("verify-cache"))


@pytest.fixture(scope="module")
def planted(tmp_path_factory, busybox_base, cache_dir):
    files = {"Dockerfile": PLANTED, "id_ed25519": KEY, **{f"tools/{name}": text for name, text in TOOLS.items()}}
    context = write_files(tmp_path_factory.mktemp("planted"), files, executable={f"tools/{n}" for n in TOOLS})
    bases = {"python:3.12": f"oci:{busybox_base}"}
    report = verify(context, config=Config(), bases=bases, cache_dir=cache_dir)
    return context, bases, report


def verdicts(report):
    return {(f.rule, f.span.line): f for f in report.findings}


def only(finding):
    assert len(finding.evidence) == 1, finding.evidence
    return finding.evidence[0].data | {"description": finding.evidence[0].description}


def test_package_lists_deleted_later_are_confirmed_still_shipped(planted):
    found = verdicts(planted[2])[("SH003", 4)]
    assert found.verification == "confirmed"
    evidence = only(found)
    assert evidence["layer"] == 4 and evidence["instruction_line"] == 4 and evidence["removed_at_line"] == 6
    assert evidence["bytes"] == 200 * 1024 and evidence["path"] == "/var/lib/apt/lists"
    assert evidence["base"] is False and evidence["diff_id"].startswith("sha256:")
    assert "still ships" in evidence["description"]


def test_a_glob_rm_the_linter_cannot_read_refutes(planted):
    found = verdicts(planted[2])[("SH003", 7)]
    assert found.verification == "refuted"
    assert only(found)["bytes"] == 0 and only(found)["layer"] == 7


def test_pip_cache_bytes(planted):
    found = verdicts(planted[2])[("SH016", 5)]
    assert found.verification == "confirmed"
    assert only(found)["bytes"] == 120 * 1024 and only(found)["removed_at_line"] is None


def test_recommended_packages_are_named(planted):
    found = verdicts(planted[2])[("SH002", 4)]
    assert found.verification == "confirmed"
    assert "ca-certificates" in only(found)["description"] and "curl" not in only(found)["description"].split(":")[-1]


def test_copied_key_is_in_its_layer_after_a_later_delete(planted):
    report = planted[2]
    copied = verdicts(report)[("DF104", 3)]
    assert copied.verification == "confirmed"
    assert only(copied)["path"] == "/root/.ssh/id_ed25519" and only(copied)["removed_at_line"] == 6
    assert only(copied)["bytes"] == len(KEY)
    image_finding = verdicts(report)[("IM002", 3)]
    assert image_finding.verification == "confirmed" and only(image_finding)["layer"] == 3
    assert "stays in the image after the step at line 6" in only(image_finding)["description"]


def test_toolchain_removed_by_a_later_instruction_is_refuted(planted):
    found = verdicts(planted[2])[("DF220", 7)]
    assert found.verification == "refuted"
    assert only(found)["bytes"] == 100 * 1024 + 4  # cc1 and /usr/bin/gcc still ship in layer 7


def test_sparse_lastlog_is_measured(planted):
    found = verdicts(planted[2])[("SH027", 9)]
    assert found.verification == "confirmed"
    assert only(found)["path"] == "/var/log/lastlog" and only(found)["bytes"] == 100000 * 292


def test_root_and_config_claims(planted):
    found = verdicts(planted[2])
    assert found[("DF100", 1)].verification == "confirmed"
    assert only(found[("DF100", 1)])["field"] == "User"
    assert found[("DF004", 10)].verification == "confirmed"
    assert only(found[("DF004", 10)])["value"] == ["/bin/sh", "-c", "python app.py"]
    assert found[("DF215", 10)].verification == "confirmed"


def test_refuted_findings_fail_nothing_and_the_ledger_blames_lines(planted):
    report = planted[2]
    assert all(not f.refuted for f in report.standing)
    assert report.refuted and not any(f in report.standing for f in report.refuted)
    data = report.as_json()
    assert data["summary"]["findings"] == len(report.standing)
    assert data["summary"]["verification"]["refuted"] == len(report.refuted)
    blamed = {(item["added_at_line"], item["removed_at_line"]): item for item in data["ledger"]["reclaimable"]}
    assert blamed[(4, 6)]["bytes"] == 200 * 1024 and blamed[(4, 6)]["how"] == "deleted"
    assert blamed[(3, 6)]["largest"] == "/root/.ssh/id_ed25519"
    dive = data["ledger"]["dive"]
    assert 0 < dive["efficiency"] < 1 and dive["wasted_bytes"] >= 200 * 1024


def test_the_same_image_read_back_through_its_history_gives_the_same_verdicts(planted, tmp_path, cache_dir):
    context, bases, report = planted
    image = builder.build(context, bases=bases, cache_dir=cache_dir, output=f"oci:{tmp_path / 'image'}")
    assert image is not None
    again = verify(context, config=Config(), image=f"oci:{tmp_path / 'image'}", cache_dir=cache_dir)
    assert not again.notes
    ours = {key: f.verification for key, f in verdicts(report).items()}
    theirs = {key: f.verification for key, f in verdicts(again).items() if key[0] != "IM008"}
    assert theirs == {key: value for key, value in ours.items() if key[0] != "IM008"}


def test_a_dockerfile_that_does_not_match_the_image_is_said_not_guessed(planted, tmp_path, cache_dir):
    context, bases, _ = planted
    builder.build(context, bases=bases, cache_dir=cache_dir, output=f"oci:{tmp_path / 'image'}")
    other = write_files(tmp_path / "other", {"Dockerfile": PLANTED.replace("RUN pip install flask==3.0.0",
                                                                             "RUN pip install django")})
    report = verify(other, config=Config(), image=f"oci:{tmp_path / 'image'}", cache_dir=cache_dir)
    assert report.notes and "does not match line(s)" in report.notes[0] and "5 (RUN)" in report.notes[0]
    assert verdicts(report)[("SH016", 5)].verification == "not-checkable"


@pytest.fixture(scope="module")
def nonroot_base(tmp_path_factory, busybox_base, cache_dir):
    """A base whose config sets a non-root user, PYTHONUNBUFFERED, a healthcheck and a port."""
    context = write_files(tmp_path_factory.mktemp("nonroot"), {"Dockerfile": (
        "FROM busybox\nUSER nobody\nENV PYTHONUNBUFFERED=1\nHEALTHCHECK CMD [\"true\"]\nEXPOSE 8000\n")})
    target = tmp_path_factory.mktemp("bases") / "nonroot"
    builder.build(context, bases={"busybox": f"oci:{busybox_base}"}, cache_dir=cache_dir, output=f"oci:{target}")
    return target


def test_the_base_images_config_refutes(tmp_path, nonroot_base, cache_dir):
    context = write_files(tmp_path, {"app.py": "print('hi')\n", "Dockerfile": (
        "FROM python:3.12\nCOPY app.py /app/app.py\nCMD [\"gunicorn\", \"app:app\"]\n")})
    report = verify(context, config=Config(select=("DF100", "DF215", "DF032", "DF214")),
                    bases={"python:3.12": f"oci:{nonroot_base}"}, cache_dir=cache_dir)
    found = verdicts(report)
    user = found[("DF100", 1)]
    assert user.verification == "refuted"
    assert only(user)["value"] == "nobody" and only(user)["base"] is True
    assert "65534" in only(user)["description"]
    assert found[("DF215", 3)].verification == "refuted"
    assert found[("DF032", 1)].verification == "refuted"
    assert found[("DF214", 3)].verification == "refuted"
    assert not report.fails("info")


def test_cli_verify_exit_codes_and_formats(planted, tmp_path, cache_dir):
    context, bases, _ = planted
    base = f"python:3.12={bases['python:3.12']}"
    command = [sys.executable, "-m", "twelvecheck", "verify", context, "--base", base, "--cache-dir", cache_dir]
    result = subprocess.run([*command, "--format", "json"], capture_output=True, text=True)
    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout)
    assert {f.get("verification") for f in data["findings"]} >= {"confirmed", "refuted"}
    text = subprocess.run([*command, "--show-refuted"], capture_output=True, text=True).stdout
    assert "Refuted by the image" in text and "evidence (confirmed):" in text
    quiet = subprocess.run([*command, "--fail-on", "error", "--select", "SH003"], capture_output=True, text=True)
    assert quiet.returncode == 0, quiet.stdout  # the remaining SH003 is info; the refuted one counts for nothing


# -- hostile images -----------------------------------------------------------------------------

def _layout(directory, entries, diff_id=None, architecture="amd64"):
    return layout(directory, [entries], [diff_id] if diff_id else None, architecture)


@pytest.mark.parametrize(("entries", "message"), [
    ([_file("../escape")], "climbs out"),
    ([_file("/etc/passwd")], "absolute path"),
    ([_file("a"), _link("b", "../../etc/shadow")], "climbs out"),
], ids=["dotdot", "absolute", "hardlink-out"])
def test_hostile_entries_are_refused(tmp_path, cache_dir, entries, message):
    with pytest.raises(inspect.ImageError, match=message):
        inspect.view(_layout(tmp_path / "image", entries), cache_dir=cache_dir)
    assert sorted(os.listdir(tmp_path)) == ["image"]  # nothing written beside it


def test_a_symlinked_parent_is_read_not_followed(tmp_path, cache_dir):
    """The view writes nothing, so a symlink then a file through it is only recorded."""
    image = inspect.view(_layout(tmp_path / "image", [_link("etc", "/", tarfile.SYMTYPE), _file("etc/x")]),
                         cache_dir=cache_dir)
    assert image.final("/etc").link == "/" and image.final("/etc/x").size == 1
    assert sorted(os.listdir(tmp_path)) == ["image"]


def test_a_diff_id_mismatch_is_refused(tmp_path, cache_dir):
    with pytest.raises(inspect.ImageError, match="does not match its diff_id|lists diff_id"):
        inspect.view(_layout(tmp_path / "image", [_file("a")], diff_id="sha256:" + "0" * 64), cache_dir=cache_dir)


def test_bombs_hit_the_limits(tmp_path, cache_dir):
    reference = _layout(tmp_path / "image", [_file(f"f{n}") for n in range(50)] + [_file("big", b"\0" * 5000)])
    with pytest.raises(inspect.ImageError, match="entries"):
        inspect.view(reference, cache_dir=cache_dir, limits=inspect.Limits(max_entries=10))
    with pytest.raises(inspect.ImageError, match="bytes of content"):
        inspect.view(reference, cache_dir=cache_dir, limits=inspect.Limits(max_bytes=1000))


def test_cli_refuses_a_hostile_image_with_exit_2(tmp_path, cache_dir):
    reference = _layout(tmp_path / "image", [_file("../escape")])
    context = write_files(tmp_path / "ctx", {"Dockerfile": "FROM scratch\nCOPY a /a\n"})
    result = subprocess.run([sys.executable, "-m", "twelvecheck", "verify", context, "--image", reference,
                             "--cache-dir", cache_dir], capture_output=True, text=True)
    assert result.returncode == 2 and "climbs out" in result.stderr and "Traceback" not in result.stderr
    with pytest.raises(VerifyError):
        verify(context, image=reference, cache_dir=cache_dir)


def test_base_platform_mismatch(tmp_path, cache_dir):
    """IM008's example needs a base for another platform: an image made by hand."""
    other = "s390x" if builder.build_platform().architecture != "s390x" else "arm64"
    reference = _layout(tmp_path / "image", [_file("bin/app")], architecture=other)
    context = write_files(tmp_path / "ctx", {"Dockerfile": "FROM other\nCOPY a /a\n", "a": "x"})
    report = verify(context, config=Config(select=("IM008",)), bases={"other": reference}, cache_dir=cache_dir)
    [found] = [f for f in report.findings if f.rule == "IM008"]
    assert found.span.line == 1 and only(found)["value"] == other and found.verification == "confirmed"


def test_sarif_carries_evidence_related_lines_and_refuted_as_external_suppressions(planted):
    from helpers import validate_sarif

    from twelvecheck.report import render

    sarif = validate_sarif(render(planted[2], "sarif"))
    results = sarif["runs"][0]["results"]
    lists = next(r for r in results if r["ruleId"] == "SH003" and r["locations"][0]["physicalLocation"]["region"]["startLine"] == 4)
    assert lists["properties"]["verification"] == "confirmed"
    assert [loc["physicalLocation"]["region"]["startLine"] for loc in lists["relatedLocations"]] == [6]
    refuted = [r for r in results if r["properties"].get("verification") == "refuted"]
    assert refuted and all(r["suppressions"][0]["kind"] == "external" for r in refuted)
    assert all(r["suppressions"][0]["justification"] for r in refuted)
    assert sarif["runs"][0]["properties"]["twelvecheck/waste-ledger"]["dive"]["efficiency"] < 1


def test_fingerprints_and_baselines_are_the_same_for_lint_and_verify(planted, tmp_path):
    from twelvecheck.baseline import apply_baseline
    from twelvecheck.engine import lint
    from twelvecheck.fingerprint import fingerprints
    from twelvecheck.sources import Sources

    context, _, report = planted
    linted = lint([os.path.join(context, "Dockerfile")], Config())
    lint_prints = set(fingerprints(linted.findings, Sources(".")))
    verify_prints = fingerprints(report.findings, Sources("."))
    dockerfile_prints = {p for f, p in zip(report.findings, verify_prints) if not f.rule.startswith("IM")}
    assert dockerfile_prints == lint_prints
    baseline = str(tmp_path / "baseline.json")
    apply_baseline(linted, baseline)
    again = apply_baseline(report, baseline)
    assert {f.rule for f in again.findings} <= {f.rule for f in report.findings if f.rule.startswith("IM")}


def test_html_has_an_evidence_box_per_finding_the_ledger_and_refuted_apart(planted):
    from dataclasses import replace

    from twelvecheck.report import render

    report = planted[2]
    page = render(replace(report, show_refuted=True), "html")
    assert page.count('class="evidence"') >= len(report.findings)
    assert 'id="ledger"' in page and "Waste ledger" in page and 'class="bar-wasted"' in page
    assert 'id="refuted"' in page and "Refuted by the image" in page
    hidden = render(report, "html")
    assert 'id="refuted"' not in hidden and f"{len(report.refuted)} refuted by the image" in hidden
    assert "204.8 kB" in page  # the apt lists blamed on lines 4 and 6


def test_audit_verify_verifies_what_resolves_and_says_what_it_skipped(tmp_path, busybox_base, cache_dir):
    from twelvecheck.repository_audit import audit
    from twelvecheck.verification import verify_audit

    write_files(tmp_path, {
        "svc/Dockerfile": "FROM scratch\nCOPY id_rsa /root/.ssh/id_rsa\nCMD /app\nCMD [\"/app\"]\n",
        "svc/id_rsa": KEY,
        "other/Dockerfile": "FROM debian:12\nRUN true\n",
    })
    config = Config()
    report = verify_audit(audit(str(tmp_path), config), config, cache_dir=cache_dir, bases={})
    skipped = [note for note in report.notes if note.startswith("other/Dockerfile: not verified")]
    assert skipped and "debian:12" in skipped[0] and "--base" in skipped[0]
    svc = {(f.rule, f.span.line): f.verification for f in report.findings if f.file == "svc/Dockerfile"}
    assert svc[("IM002", 2)] == "confirmed" and svc[("DF004", 3)] == "refuted"
    assert all(f.verification is None for f in report.findings if f.file == "other/Dockerfile")
    assert report.factors["III"]["status"] == "fail"


def test_an_image_built_by_buildkit_gets_the_same_verdicts(planted, dockerd, tmp_path, cache_dir, busybox_base):
    """--image on what real BuildKit built from the same context: same verdicts as our build."""
    context, _, report = planted
    env = dockerd.env
    subprocess.run([DOCKER, "load", "-i", f"{busybox_base}.docker.tar"], env=env, check=True, capture_output=True)
    subprocess.run([DOCKER, "tag", "localhost/busybox:latest", "python:3.12"], env=env, check=True)
    built = subprocess.run([DOCKER, "build", "--network", "none", "-t", "localhost/planted:bk", context],
                           env=env, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    archive = tmp_path / "planted.tar"
    subprocess.run([DOCKER, "save", "-o", str(archive), "localhost/planted:bk"], env=env, check=True)
    theirs = verify(context, config=Config(), image=f"docker-archive:{archive}", cache_dir=cache_dir)
    assert not theirs.notes, theirs.notes
    ours = {key: f.verification for key, f in verdicts(report).items() if key[0] != "IM008"}
    assert {key: f.verification for key, f in verdicts(theirs).items() if key[0] != "IM008"} == ours


def test_base_caused_image_findings_are_off_unless_asked(tmp_path, busybox_base, cache_dir):
    setuid_base = tmp_path / "setuid-base"
    base_context = write_files(tmp_path / "base", {"Dockerfile": "FROM busybox\nRUN chmod 4755 /bin/busybox\n"})
    builder.build(base_context, bases={"busybox": f"oci:{busybox_base}"}, cache_dir=cache_dir,
                  output=f"oci:{setuid_base}")
    context = write_files(tmp_path / "app", {"Dockerfile": "FROM base\nUSER 10001\nCOPY --chmod=4755 a /a\n", "a": "x"})
    options = dict(config=Config(select=("IM001", "DF046")), bases={"base": f"oci:{setuid_base}"}, cache_dir=cache_dir)
    own = [f for f in verify(context, **options).findings if f.rule == "IM001"]
    assert [(f.span.line, only(f)["path"], only(f)["base"]) for f in own] == [(3, "/a", False)]
    every = [f for f in verify(context, base_findings=True, **options).findings if f.rule == "IM001"]
    from_base = [f for f in every if only(f)["base"]]
    assert [(f.span.line, only(f)["path"]) for f in from_base] == [(1, "/bin/busybox")]


def test_test_keys_inside_dependencies_are_not_private_keys_of_yours(tmp_path, cache_dir):
    """dockle flags the test keys packages ship (dockle#159, #250); twelvecheck does not."""
    site = "usr/local/lib/python3.12/site-packages/cryptography/tests/key.pem"
    context = write_files(tmp_path, {"key.pem": KEY, "Dockerfile": (
        f"FROM scratch\nCOPY key.pem /{site}\nCOPY key.pem /usr/local/lib/python3.12/test/keycert.pem\n"
        "COPY key.pem /srv/tls/server.key\n")})
    found = [f for f in verify(context, config=Config(select=("IM002",)), cache_dir=cache_dir).findings]
    assert [(f.span.line, only(f)["path"]) for f in found] == [(4, "/srv/tls/server.key")]


@pytest.mark.parametrize("fmt", ["github", "gitlab", "junit", "checkstyle"])
def test_ci_formats_leave_refuted_findings_out(planted, fmt):
    from twelvecheck.report import render

    report = planted[2]
    text = render(report, fmt)
    refuted = [f for f in report.findings if f.refuted]
    assert refuted
    for finding in refuted:  # each refuted finding's message is absent unless a standing one shares it
        if not any(f.message == finding.message for f in report.standing):
            assert finding.message.split(",")[0] not in text
    assert any(f.message.split(",")[0] in text for f in report.standing)
