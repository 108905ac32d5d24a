"""The README's verify command, run exactly as written, on a fresh cache: the planted problems
are confirmed by the image and the superseded shell-form CMD is refuted."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def readme_command() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith(".venv/bin/twelvecheck verify "))
    return line.split()


def test_the_readme_verify_command_confirms_and_refutes(tmp_path):
    command = readme_command()
    assert command[:3] == [".venv/bin/twelvecheck", "verify", "examples/verify"]
    twelvecheck = str(Path(os.environ.get("VIRTUAL_ENV", ROOT / ".venv")) / "bin" / "twelvecheck")
    if not os.path.exists(twelvecheck):
        import shutil

        twelvecheck = shutil.which("twelvecheck") or twelvecheck
    environment = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    result = subprocess.run([twelvecheck, *command[1:]], cwd=ROOT, capture_output=True, text=True, env=environment)
    assert result.returncode == 1, result.stderr
    assert re.search(r"IM002 error /root/.ssh/id_ed25519 holds a private key", result.stdout)
    assert "Refuted by the image (1; they fail nothing):" in result.stdout
    refuted = result.stdout.split("Refuted by the image", 1)[1]
    assert "Dockerfile:8:1 DF004" in refuted and "set at line 9" in refuted
    as_json = subprocess.run([twelvecheck, *command[1:], "--format", "json"], cwd=ROOT, capture_output=True,
                             text=True, env=environment)
    verdicts = {(f["rule"], f["line"]): f["verification"] for f in json.loads(as_json.stdout)["findings"]}
    for planted in (("IM002", 5), ("DF104", 5), ("IM001", 6), ("DF103", 7), ("DF100", 3)):
        assert verdicts[planted] == "confirmed", planted
    assert verdicts[("DF004", 8)] == "refuted"
