"""Reports never lose findings: every format of one CLI run over the corpus counts what JSON counts."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
from helpers import CORPUS, run, validate_sarif

COUNTERS = {
    "sarif": lambda text: len([r for r in validate_sarif(text)["runs"][0]["results"] if "suppressions" not in r]),
    "github": lambda text: len(text.splitlines()),
    "gitlab": lambda text: len(json.loads(text)),
    "junit": lambda text: sum(len(failure.text.splitlines()) for failure in ET.fromstring(text).iter("failure")),
    "checkstyle": lambda text: len(ET.fromstring(text).findall("file/error")),
    "html": lambda text: text.count('<article class="finding'),
    "text": lambda text: int(re.match(r"(\d+) findings? in ", text.splitlines()[-1]).group(1)),
}


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside this checkout")
def test_every_format_counts_the_json_findings(tmp_path):
    files = sorted(path.name for path in (CORPUS / "dockerfiles").iterdir())
    pairs = [arg for fmt in ["json", *COUNTERS] for arg in ("--format", fmt, "-o", str(tmp_path / fmt))]
    result = run("lint", "--select", "all", "--fail-on", "never", *pairs, *files, cwd=CORPUS / "dockerfiles")
    assert result.returncode == 0, result.stderr[-2000:]
    data = json.loads((tmp_path / "json").read_text())
    expected = data["summary"]["findings"]
    assert expected == len(data["findings"]) > 50
    counted = {fmt: count((tmp_path / fmt).read_text(encoding="utf-8")) for fmt, count in COUNTERS.items()}
    assert counted == dict.fromkeys(COUNTERS, expected)
