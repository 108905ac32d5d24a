"""The position-carrying YAML layer: positions, anchors, merge keys, tags, and refusals."""

import time
from pathlib import Path

import pytest

from twelvecheck.parse.compose import (
    OVERRIDE_TAG, RESET_TAG, Limits, Mapping, Scalar, Sequence, parse_yaml_bytes,
    parse_yaml_text, read_yaml_file,
)
from twelvecheck.parse.model import Span

SAMPLE = """\
x-base: &base
  image: nginx:1.25
  restart: always
services:
  web:
    <<: *base
    restart: "no"
    ports:
      - "8080:80"
  worker: *base
"""


def root_of(text: str):
    document = parse_yaml_text(text, "compose.yaml")
    assert document.errors == ()
    return document.root


def test_keys_and_values_have_one_based_positions():
    root = root_of(SAMPLE)
    web = root.at("services", "web")
    assert root.at("services").key("web").span == Span(5, 3, 5, 6)
    assert web.get("restart").span == Span(7, 14, 7, 18)
    assert web.at("ports", 0).span == Span(9, 9, 9, 18)
    assert web.at("ports", 0).style == '"'
    assert web.at("ports", 0).file == "compose.yaml"


def test_merge_key_explicit_value_wins_and_merged_values_keep_their_definition():
    web = root_of(SAMPLE).at("services", "web")
    assert web.get("restart").value == "no"
    assert web.get("image").value == "nginx:1.25"
    assert web.get("image").span.line == 2


def test_alias_keeps_definition_position_and_exposes_use_position():
    worker = root_of(SAMPLE).at("services", "worker")
    assert worker.span.line == 1  # where `&base` starts the definition
    assert worker.use_span == Span(10, 11, 10, 16)
    assert worker.plain() == {"image": "nginx:1.25", "restart": "always"}


def test_merge_key_list_first_listed_wins():
    root = root_of("a: &a {x: 1, y: 1}\nb: &b {y: 2, z: 2}\nc:\n  <<: [*a, *b]\n  z: 3\n")
    assert root.get("c").plain() == {"z": 3, "x": 1, "y": 1}


def test_yaml_11_scalar_resolution_and_raw_text():
    root = root_of("a: 010\nb: yes\nc: ~\nd: 1.5\ne: '1'\nf: 2001-12-14\n")
    assert root.plain() == {"a": 8, "b": True, "c": None, "d": 1.5, "e": "1", "f": "2001-12-14"}
    assert root.get("a").raw == "010"
    assert root.get("b").text == "true"


def test_compose_tags_are_markers():
    root = root_of("ports: !reset []\nenv: !override {A: 1}\nx: !reset null\n")
    assert root.get("ports").tag == RESET_TAG
    assert isinstance(root.get("ports"), Sequence)
    assert root.get("env").tag == OVERRIDE_TAG and root.get("env").plain() == {"A": 1}
    assert root.get("x").value is None


def test_extension_fields_are_kept_and_helpers_work():
    root = root_of(SAMPLE)
    assert "x-base" in root
    assert root.get("missing") is None
    assert root.at("services", "web", "ports", 5) is None
    assert isinstance(root.at("services", "web", "ports", 0), Scalar)
    assert isinstance(root, Mapping) and list(root) == ["x-base", "services"]


def test_duplicate_keys_are_an_error_naming_both_lines():
    document = parse_yaml_text("services:\n  web: {}\n  db: {}\n  web: {}\n", "c.yaml")
    (error,) = document.errors
    assert "duplicate key 'web'" in error.message and "lines 2 and 4" in error.message
    assert error.span.line == 4 and document.root is None


def test_broken_yaml_gives_one_error_with_a_line():
    document = parse_yaml_text("services:\n  web:\n    image: [unclosed\n  db: {}\n", "c.yaml")
    (error,) = document.errors
    assert error.span.line >= 3 and error.file == "c.yaml"


def billion_laughs(levels: int = 9, width: int = 10) -> str:
    lines = ["l0: &l0 [" + ",".join(["lol"] * width) + "]"]
    for level in range(1, levels + 1):
        lines.append(f"l{level}: &l{level} [" + ",".join([f"*l{level - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_quickly():
    started = time.perf_counter()
    document = parse_yaml_text(billion_laughs(), "bomb.yaml")
    assert time.perf_counter() - started < 1.0
    (error,) = document.errors
    assert "alias expansion" in error.message and document.root is None


def test_alias_nesting_is_bounded():
    document = parse_yaml_text(billion_laughs(levels=5, width=1), "deep.yaml",
                               Limits(max_alias_depth=3))
    assert "nested deeper" in document.errors[0].message


def test_recursive_alias_is_refused():
    document = parse_yaml_text("a: &a [*a]\n", "r.yaml")
    assert "recursive alias" in document.errors[0].message


def test_large_file_is_refused_without_reading_it(tmp_path, monkeypatch):
    big = tmp_path / "compose.yaml"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read the big file"))
    started = time.perf_counter()
    document = read_yaml_file(big)
    assert time.perf_counter() - started < 0.5
    assert "over the 10,485,760-byte limit" in document.errors[0].message


def test_size_limit_is_configurable():
    document = parse_yaml_bytes(b"a: 1\n" * 100, "c.yaml", Limits(max_bytes=100))
    assert "byte limit" in document.errors[0].message


def test_binary_and_non_utf8_input_are_refused():
    assert "binary" in parse_yaml_bytes(b"a: 1\n\0\n", "c.yaml").errors[0].message
    error = parse_yaml_bytes(b"a: 1\nb: \xff\n", "c.yaml").errors[0]
    assert "not UTF-8" in error.message and error.span.line == 2


def test_python_tags_are_never_constructed():
    root = root_of("a: !!python/object/apply:os.system ['true']\n")
    assert root.get("a").plain() == ["true"]


def test_empty_file_is_an_empty_mapping():
    assert root_of("# only a comment\n").plain() == {}
