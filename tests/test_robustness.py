"""Random and mutated Dockerfiles through the parser and every rule: nothing escapes, nothing crashes."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import CORPUS
from twelvecheck.config import Config
from twelvecheck.discover import Candidate
from twelvecheck.engine import Engine

ENGINE = Engine(Config(select=("all",)))
CORPUS_TEXTS = [p.read_text(encoding="utf-8", errors="replace") for p in sorted((CORPUS / "dockerfiles").glob("*"))[:200]] \
    if CORPUS.is_dir() else []
SNIPPETS = [
    "FROM ", "RUN ", "COPY ", "ENV ", "ARG ", "USER ", "WORKDIR ", "EXPOSE ", "CMD ", "ONBUILD ", "SHELL ",
    "HEALTHCHECK ", "<<EOF\n", "EOF\n", "\\\n", "&& ", "| ", "$(", "${A:-", "'", '"', "[\"a\"", "--mount=type=cache,target=",
    "apt-get install -y ", "apk add ", "pip install ", "curl -fsSL ", "sh -c '", "sudo ", "cd ", "# twelvecheck ignore=",
    "# hadolint ignore=DL3008\n", "\n", " ", "\t", ":", "=", "AS ", "--from=", "x", "0", "root",
]


def _lint(text: str, tmp_path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    findings, _ = ENGINE.lint_file(Candidate(str(path), "dockerfile"), "Dockerfile")
    crashes = [f.message for f in findings if f.rule == "TC004"]
    assert not crashes, crashes


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(SNIPPETS), max_size=40).map("".join))
def test_random_dockerfiles_through_every_rule(tmp_path, text):
    _lint(text, tmp_path)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(min_value=0, max_value=10**9))
def test_mutated_corpus_dockerfiles_through_every_rule(tmp_path, seed):
    if not CORPUS_TEXTS:
        return
    rng = random.Random(seed)
    lines = rng.choice(CORPUS_TEXTS).splitlines(keepends=True)
    for _ in range(rng.randint(1, 6)):
        action = rng.choice(("drop", "duplicate", "insert", "truncate"))
        at = rng.randrange(len(lines) + 1)
        if action == "drop" and lines:
            del lines[min(at, len(lines) - 1)]
        elif action == "duplicate" and lines:
            lines.insert(at, rng.choice(lines))
        elif action == "insert":
            lines.insert(at, rng.choice(SNIPPETS))
        elif lines:
            index = min(at, len(lines) - 1)
            lines[index] = lines[index][: rng.randrange(len(lines[index]) + 1)]
    _lint("".join(lines), tmp_path)
