"""--baseline end to end through the CLI: record once, then report only what is new."""

from __future__ import annotations

import json

from helpers import run, write

OLD = "FROM alpine\nMAINTAINER someone\nUSER nobody\nCMD sh\n"


def test_a_missing_baseline_is_recorded_and_everything_reported(tmp_path):
    write(tmp_path / "Dockerfile", OLD)
    result = run("lint", "--baseline", "baseline.json", ".", cwd=tmp_path)
    assert result.returncode == 1 and result.stdout.splitlines()[-1].startswith("3 findings in 1 file")
    recorded = json.loads((tmp_path / "baseline.json").read_text())
    assert [entry["rule"] for entry in recorded["findings"]] == ["DF001", "DF006", "DF004"]
    assert all(len(entry["fingerprint"]) == 32 for entry in recorded["findings"])


def test_an_existing_baseline_hides_old_findings_even_after_lines_move(tmp_path):
    write(tmp_path / "Dockerfile", OLD)
    run("lint", "--baseline", "baseline.json", ".", cwd=tmp_path)
    write(tmp_path / "Dockerfile", "# moved down by a comment\n" + OLD)
    quiet = run("lint", "--baseline", "baseline.json", ".", cwd=tmp_path)
    assert quiet.returncode == 0, quiet.stdout
    assert quiet.stdout == "0 findings in 1 file, 3 baselined\n"

    write(tmp_path / "Dockerfile", OLD + "USER root\n")
    new = run("lint", "--baseline", "baseline.json", "--format", "json", ".", cwd=tmp_path)
    assert new.returncode == 1
    assert [f["rule"] for f in json.loads(new.stdout)["findings"]] == ["DF003"]
    assert len(json.loads((tmp_path / "baseline.json").read_text())["findings"]) == 3  # never rewritten


def test_a_broken_baseline_is_a_usage_error(tmp_path):
    write(tmp_path / "Dockerfile", OLD)
    write(tmp_path / "baseline.json", "{not json")
    result = run("lint", "--baseline", "baseline.json", ".", cwd=tmp_path)
    assert result.returncode == 2 and "not a twelvecheck baseline" in result.stderr


def test_audit_takes_a_baseline_too(tmp_path):
    import subprocess

    write(tmp_path / "Dockerfile", OLD)
    write(tmp_path / "compose.yaml", "services:\n  app:\n    build: .\n    privileged: true\n")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    first = run("audit", "--baseline", "baseline.json", "--format", "json", ".", cwd=tmp_path)
    assert first.returncode == 1
    recorded = json.loads(first.stdout)["findings"]
    assert {f["file"] for f in recorded} >= {"Dockerfile", "compose.yaml"}
    again = run("audit", "--baseline", "baseline.json", ".", cwd=tmp_path)
    assert again.returncode == 0, again.stdout
    assert f"0 findings in 2 files, {len(recorded)} baselined" in again.stdout
    assert "Twelve-factor scorecard" in again.stdout  # the verdict still covers the whole repository
