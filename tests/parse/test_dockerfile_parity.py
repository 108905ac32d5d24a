"""Our parser against BuildKit's own (the PyPI ``dockerfile`` package wraps its Go parser)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import CORPUS
from oracle import buildkit_view, our_view
from twelvecheck.parse.dockerfile import parse

pytest.importorskip("dockerfile", reason="the BuildKit parser oracle (PyPI 'dockerfile') is not installed")

CORPUS_FILES = sorted((CORPUS / "dockerfiles").glob("*")) if CORPUS.is_dir() else []


def _without_nul(view):
    """The oracle passes strings through C, which ends them at a NUL byte; ours keeps them."""
    return [tuple(tuple(v.split("\0")[0] for v in field) if isinstance(field, tuple) and field and isinstance(field[0], str) else field for field in row) for row in view]


def _agree(text: str) -> None:
    expected = buildkit_view(text)
    result = parse(text)
    if isinstance(expected, str):
        assert result.errors, f"BuildKit refuses this file ({expected}) but we found no error"
        return
    assert _without_nul(our_view(text)) == _without_nul(expected)


@pytest.mark.skipif(not CORPUS_FILES, reason="../shared/corpus is not beside this checkout")
def test_every_corpus_dockerfile_parses_as_buildkit_parses_it():
    disagreements = []
    for path in CORPUS_FILES:
        text = path.read_bytes().decode("utf-8", errors="replace")
        try:
            _agree(text)
        except AssertionError as error:
            disagreements.append(f"{path.name}: {str(error)[:300]}")
    print(f"parser parity: {len(CORPUS_FILES) - len(disagreements)}/{len(CORPUS_FILES)} corpus Dockerfiles")
    assert not disagreements, "\n".join(disagreements)


FRAGMENTS = [
    "FROM", "from", "RUN", "run", "COPY", "ADD", "ENV", "LABEL", "ARG", "ONBUILD", "HEALTHCHECK", "CMD",
    "EXPOSE", "SHELL", "USER", "WORKDIR", " ", "  ", "\t", "\\", "`", "\n", "\r\n", "#", "# escape=`\n",
    "# syntax=x\n", "# check=skip=all\n", "<<EOF", "<<-EOF", "<<'E'", '<<"E"', "2<<E", "EOF", "\tEOF", "E",
    "--mount=type=cache,target=/x", "--from=a", "--chown='a b'", "--", '"', "'", "=", "a", "b=c",
    '["a","b"]', "[1]", "[", "]", "x y", "$X", "${A:-b}", "AS", "NONE", "\\\\", "\ufeff", "cat",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=30).map("".join))
def test_random_dockerfiles_parse_as_buildkit_parses_them(text):
    _agree(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_arbitrary_text_never_raises(text):
    result = parse(text)
    for instruction in result.instructions:
        assert instruction.span.line <= instruction.span.end_line
