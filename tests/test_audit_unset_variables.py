"""A compose file that is fine once its variables are set gets no parse error: the unset
variable is reported once (DC023) with what its empty value breaks."""

from __future__ import annotations

from helpers import lint_files
from twelvecheck.config import Config

CONFIG = Config(select=("TC", "DC023"))


def test_empty_port_from_an_unset_variable_is_not_a_parse_error():
    compose = "services:\n  calls:\n    image: example/calls:1.0\n    ports:\n      - ${CALLS_PORT}:${CALLS_PORT}/udp\n      - ${CALLS_PORT}:${CALLS_PORT}/tcp\n"
    found = lint_files({"compose.yaml": compose}, CONFIG)
    assert [(f.rule, f.span.line) for f in found] == [("DC023", 5)]
    assert "invalid port" in found[0].message


def test_a_real_schema_error_stays_one_beside_unset_variables():
    compose = "services:\n  api:\n    image: example/api:${TAG}\n    ports: [\"${PORT}:80\"]\n    wrongField: 1\n"
    found = lint_files({"compose.yaml": compose}, CONFIG)
    assert sorted((f.rule, f.span.line) for f in found) == [("DC023", 3), ("DC023", 4), ("TC001", 5)]
