"""The fast indented JSON writer gives exactly the text ``json.dumps(indent=2)`` gives."""

from __future__ import annotations

import json

import pytest

from tests.helpers import CORPUS
from twelvecheck.config import Config
from twelvecheck.engine import lint
from twelvecheck.report._json_text import dumps_indented


@pytest.mark.parametrize("value", [
    {}, [], (), "", 0, -7, True, False, None, {"a": []}, {"a": {}}, [[], [{}]],
    {"text": "é \u2028 \x00 \x1b \" \\ \t 漢字", "n": 10**30, "t": (1, "x")},
    {"float": 1.5}, {"nan": float("nan")}, {1: "int key"}, {None: 1}, [1.0, float("inf")],
])
def test_plain_and_unusual_values(value):
    assert dumps_indented(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_a_real_report():
    dockerfiles = sorted((CORPUS / "dockerfiles").glob("*"))[:40]
    if not dockerfiles:
        pytest.skip(f"no corpus at {CORPUS}")
    report = lint([str(path) for path in dockerfiles], Config(select=("all",)), root=str(CORPUS))
    data = report.as_json()
    assert data["findings"], "the corpus files give findings, so the test compares real output"
    assert dumps_indented(data) == json.dumps(data, indent=2, ensure_ascii=False)
