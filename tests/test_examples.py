"""The README's first command audits examples/shop: its planted problems are found, and the
Dockerfile written to be clean stays clean."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import run

SHOP = Path(__file__).resolve().parents[1] / "examples" / "shop"
PLANTED = {"DF001", "DF003", "DF004", "DF005", "DF006", "DF008", "DF009", "SH001", "SH004", "DC008", "DC016"}


def test_the_example_audit_finds_the_planted_problems_and_nothing_in_the_clean_file():
    result = run("audit", "--format", "json", str(SHOP))
    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout)
    assert PLANTED <= {f["rule"] for f in data["findings"]}
    clean = [f for f in data["findings"] if f["file"] == "Dockerfile.good" and f["rule"] != "SH100"]
    assert clean == []
    assert set(data["factors"]) == {"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"}
