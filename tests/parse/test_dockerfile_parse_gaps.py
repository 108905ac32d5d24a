"""Why our parse layer exists: dockerfile-parse (the library the user named) misreads two shapes
real files contain, heredocs and blank lines inside a continuation. These tests pin both, against
our parser, so a future dockerfile-parse release that fixes them is noticed."""

from __future__ import annotations

import pytest

from twelvecheck.parse.dockerfile import parse

dockerfile_parse = pytest.importorskip("dockerfile_parse", reason="dockerfile-parse is not installed")

HEREDOC = "FROM alpine:3.20\nRUN <<EOF\napk add curl\nEOF\n"
BLANK_IN_CONTINUATION = "FROM debian:12\nRUN apt-get update && \\\n\n    git\n"


def _theirs(tmp_path, text):
    parser = dockerfile_parse.DockerfileParser(path=str(tmp_path))
    parser.content = text
    return [item["instruction"] for item in parser.structure]


def test_heredoc_body_becomes_bogus_instructions_in_dockerfile_parse(tmp_path):
    assert _theirs(tmp_path, HEREDOC) == ["FROM", "RUN", "APK", "EOF"]
    ours = parse(HEREDOC)
    assert [i.keyword for i in ours.instructions] == ["FROM", "RUN"]
    assert ours.instructions[1].heredocs[0].body == "apk add curl\n"


def test_blank_line_in_a_continuation_splits_the_instruction_in_dockerfile_parse(tmp_path):
    assert _theirs(tmp_path, BLANK_IN_CONTINUATION) == ["FROM", "RUN", "GIT"]
    ours = parse(BLANK_IN_CONTINUATION)
    assert [i.keyword for i in ours.instructions] == ["FROM", "RUN"]
    assert ours.instructions[1].args == ("apt-get update &&     git",)
