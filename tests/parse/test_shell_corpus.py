"""Every shell-form RUN body (and RUN heredoc) of the shared corpus reads without raising.

BuildKit's own parser (the ``dockerfile`` package) extracts the bodies, so this test sees exactly
the text the linter will hand to ``parse_script``.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from twelvecheck.parse.shell import parse_script

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "dockerfiles"


def run_bodies() -> list[str]:
    dockerfile = pytest.importorskip("dockerfile")
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not found at {CORPUS}")
    bodies = []
    for path in sorted(CORPUS.iterdir()):
        try:
            instructions = dockerfile.parse_file(str(path))
        except dockerfile.GoParseError:
            continue  # BuildKit rejects the file; the Dockerfile parser's tests cover that
        for instruction in instructions:
            if instruction.cmd.upper() == "RUN" and not instruction.json:
                bodies.append(" ".join(instruction.value))
                bodies.extend(heredoc.content for heredoc in instruction.heredocs)
    return bodies


@pytest.fixture(scope="module")
def bodies() -> list[str]:
    return run_bodies()


def test_every_corpus_body_yields_commands(bodies: list[str]) -> None:
    parse_script.cache_clear()
    started = time.perf_counter()
    scripts = [parse_script(body) for body in bodies]
    elapsed = time.perf_counter() - started
    with_errors = sum(1 for script in scripts if script.errors)
    print(f"\n{len(bodies)} RUN bodies in {elapsed:.3f} s; "
          f"{with_errors} ({with_errors / len(bodies):.1%}) with reader errors")
    empty = [body for body, script in zip(bodies, scripts) if body.strip() and not script.commands
             and not body.strip().startswith("#")]
    assert empty == []
