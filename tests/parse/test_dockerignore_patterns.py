"""Character classes in .dockerignore patterns read as moby's pattern matcher reads them, and a
pattern docker refuses is a located parse error (lint) or a build error (builder), never a crash."""

from __future__ import annotations

import warnings

import pytest

from tests.helpers import lint_files
from twelvecheck.build.context import BadSource, SourceTree
from twelvecheck.parse.dockerignore import parse_dockerignore


@pytest.mark.parametrize("pattern, excluded, kept", [
    ("[[a]x", ["[x", "ax"], ["bx"]),  # '[' inside a class is literal, not a nested set
    ("f[&&]", ["f&"], ["fa"]),  # '&&' inside a class is literal, not a set operation
    ("[\\d]", ["d"], ["1"]),  # an escaped character is itself, not a digit class
    ("x[\\]]", ["x]"], ["xa"]),  # an escaped ']' does not close the class
    ("a[^b-d]c", ["aec"], ["acc"]),
    ("a[b", ["a[b"], ["ab"]),  # an unclosed '[' is literal
])
def test_character_classes(pattern, excluded, kept):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no 'possible nested set' FutureWarning either
        ignore = parse_dockerignore(pattern + "\n")
    assert ignore.errors == ()
    assert all(ignore.excludes(path) for path in excluded)
    assert not any(ignore.excludes(path) for path in kept)


def test_a_pattern_docker_refuses_is_a_parse_error_at_its_line():
    ignore = parse_dockerignore("node_modules\n[z-a]\n*.log\n")
    assert [error.span.line for error in ignore.errors] == [2]
    assert "[z-a]" in ignore.errors[0].message
    assert [p.text for p in ignore.patterns] == ["node_modules", "*.log"]  # the others still apply
    findings = lint_files({".dockerignore": "node_modules\n[]\n", "Dockerfile": "FROM alpine:3.20\n"})
    (error,) = [f for f in findings if f.rule == "TC001"]
    assert error.file.endswith(".dockerignore") and error.span.line == 2


def test_the_builder_refuses_a_context_whose_ignore_file_docker_refuses(tmp_path):
    (tmp_path / "app.py").write_text("print()\n")
    (tmp_path / ".dockerignore").write_text("[z-a]\n")
    with pytest.raises(BadSource, match="line 1"):
        SourceTree.build_context(str(tmp_path)).select("app.py")


def test_names_too_long_for_the_file_system_are_missing_files_not_crashes():
    long = "x" * 5000  # ENAMETOOLONG from stat, which pathlib's is_file does not swallow
    compose = (f"services:\n  app:\n    build: {long}\n    env_file: {long}.env\n    ports: ['80:80']\n"
               f"  web:\n    build:\n      context: .\n      dockerfile: {long}\n")
    findings = lint_files({"compose.yaml": compose, "Dockerfile": f"FROM alpine:3.20\nCOPY {long} /a\n",
                           ".dockerignore": f"{long}\n!{long}/a\n"})
    assert not [f for f in findings if f.rule == "TC004"]
    assert {f.file.rsplit("/", 1)[-1] for f in findings} >= {"compose.yaml", "Dockerfile"}  # both were checked
