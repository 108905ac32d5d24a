"""Reports never lose findings: every format of one CLI run over the corpus counts what JSON
counts, for a lint of the corpus Dockerfiles and for audits of corpus repositories."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
from corpus_layout import CORPUS_REPOSITORIES
from helpers import CORPUS, run, validate_sarif

COUNTERS = {
    "sarif": lambda text: len([r for r in validate_sarif(text)["runs"][0]["results"] if "suppressions" not in r]),
    "github": lambda text: len(text.splitlines()),
    "gitlab": lambda text: len(json.loads(text)),
    "junit": lambda text: sum(len(failure.text.splitlines()) for failure in ET.fromstring(text).iter("failure")),
    "checkstyle": lambda text: len(ET.fromstring(text).findall("file/error")),
    "html": lambda text: text.count('<article class="finding'),
    "text": lambda text: int(re.search(r"^(\d+) findings? in ", text, re.M).group(1)),  # an audit's scorecard follows
}


def count_every_format(command: str, *args: str, cwd, outputs) -> tuple[dict, dict[str, int]]:
    """Run ``command`` once writing JSON and every other format; the JSON and each format's count."""
    pairs = [arg for fmt in ["json", *COUNTERS] for arg in ("--format", fmt, "-o", str(outputs / fmt))]
    result = run(command, "--fail-on", "never", *pairs, *args, cwd=cwd)
    assert result.returncode == 0, result.stderr[-2000:]
    data = json.loads((outputs / "json").read_text())
    assert data["summary"]["findings"] == len(data["findings"])
    return data, {fmt: count((outputs / fmt).read_text(encoding="utf-8")) for fmt, count in COUNTERS.items()}


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside this checkout")
def test_every_format_counts_the_json_findings(tmp_path):
    files = sorted(path.name for path in (CORPUS / "dockerfiles").iterdir())
    data, counted = count_every_format("lint", "--select", "all", *files, cwd=CORPUS / "dockerfiles", outputs=tmp_path)
    assert len(data["findings"]) > 50
    assert counted == dict.fromkeys(COUNTERS, len(data["findings"]))


@pytest.mark.parametrize("name", CORPUS_REPOSITORIES)
def test_every_format_of_an_audit_counts_the_json_findings(name, corpus_repositories, tmp_path):
    data, counted = count_every_format("audit", str(corpus_repositories[name]), cwd=tmp_path, outputs=tmp_path)
    assert len(data["findings"]) > 10 and set(data["factors"]) >= {"I", "XII"}
    assert counted == dict.fromkeys(COUNTERS, len(data["findings"])), name
