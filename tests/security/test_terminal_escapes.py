"""Escape sequences and control characters from file contents and file names reach no terminal
or CI log: text, github and gitlab output show them as visible escapes (``\\e``, ``\\x07``), with
or without colour; our own colour codes stay; a newline in a file name cannot forge a line."""

from __future__ import annotations

import json
import re

from security.inputs_support import lint_all_formats, repo

OSC = "\x1b]8;;http://evil.example\x07"
CSI = "\x1b[2J\x1b[1;1H"
C1_CSI = "\x9b31m"
OWN_COLOURS = re.compile(r"\x1b\[(?:0|1|2|31|32|33|36)m")


def _hostile_repo(tmp_path):
    root = repo(tmp_path)
    (root / "Dockerfile").write_text(f"FROM alpine:3.20\nFOO{OSC}x bar\nEXPOSE 80{CSI}\nLABEL a{C1_CSI}=\x7f\nUSER 1000\n")
    return root


def _raw_controls(text: str) -> list[str]:
    """Control characters other than newline and tab (the formats' own line structure)."""
    return re.findall("[\x00-\x08\x0b-\x1f\x7f-\x9f]", text)


def test_text_output_shows_escape_sequences_instead_of_sending_them(tmp_path):
    _, outputs = lint_all_formats(_hostile_repo(tmp_path))
    text = outputs["text"]
    assert not _raw_controls(text)
    assert r"FOO\e]8;;http://evil.example\x07x" in text and r"\e[2J" in text


def test_colour_output_keeps_only_our_own_colour_codes(tmp_path):
    _, outputs = lint_all_formats(_hostile_repo(tmp_path))
    coloured = outputs["text-color"]
    assert OWN_COLOURS.search(coloured)  # colour is on
    assert not _raw_controls(OWN_COLOURS.sub("", coloured))


def test_github_annotations_carry_no_escape_sequence(tmp_path):
    _, outputs = lint_all_formats(_hostile_repo(tmp_path))
    assert not _raw_controls(outputs["github"]) and r"\e]8;;" in outputs["github"]


def test_json_formats_escape_c1_and_del(tmp_path):
    report, outputs = lint_all_formats(_hostile_repo(tmp_path))
    for fmt in ("json", "sarif", "gitlab"):
        assert not _raw_controls(outputs[fmt]), fmt
        json.loads(outputs[fmt])  # still valid JSON holding the same values
    messages = [finding["message"] for finding in json.loads(outputs["json"])["findings"]]
    assert any(OSC in message for message in messages)  # escaped in the text, exact in the value


def test_html_escapes_markup_and_controls(tmp_path):
    root = repo(tmp_path)
    (root / "Dockerfile").write_text("FROM alpine:3.20\n<script>alert(1)</script> x\nUSER 1000\n")
    _, outputs = lint_all_formats(root)
    assert "<script>alert(1)</script>" not in outputs["html"] and "&lt;script&gt;" in outputs["html"]


def test_newline_in_a_file_name_cannot_forge_a_finding_line(tmp_path):
    root = repo(tmp_path)
    forged = "Dockerfile.\nforged:1:1 DF999 error this line is forged"
    (root / forged).write_text("FROM alpine:latest\nUSER 1000\n")
    report, outputs = lint_all_formats(root)
    lines = outputs["text"].splitlines()
    assert len(lines) == len(report.findings) + 1  # one per finding, then the summary
    assert not any(line.startswith("forged:") for line in lines)
    assert r"Dockerfile.\nforged:1:1" in outputs["text"]
    assert not any(line.startswith("forged") for line in outputs["github"].splitlines())


def test_escape_sequence_in_a_file_name(tmp_path):
    root = repo(tmp_path)
    (root / f"Dockerfile.{CSI}x").write_text("FROM alpine:latest\nUSER 1000\n")
    _, outputs = lint_all_formats(root)
    for fmt in ("text", "text-color", "github", "json", "sarif", "gitlab"):
        assert not _raw_controls(OWN_COLOURS.sub("", outputs[fmt])), fmt
