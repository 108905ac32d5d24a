"""Runs semgrep once over all application files and turns its results into AP findings.

* Once per run, never per file: semgrep's start-up (seconds) dwarfs the matching.
* Offline: metrics off, no version check, only our own ruleset files, passed as absolute paths
  (a ``--config`` starting with ``r/`` would be read as a registry id).
* Cached by file content: the matches of each file are stored under the digest of the semgrep
  version, the selected rulesets, the file's suffix (it picks the language) and its bytes, so a
  re-run on an unchanged tree starts no semgrep process at all.
* semgrep missing or failing is a notice (TC005, info), not a failure of the run.
* Our suppressions (``# twelvecheck ignore=AP001``) go through the engine like any rule's;
  ``nosemgrep`` comments are honoured by semgrep itself.

Only imported when application files are linted: the Dockerfile path never pays for it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from twelvecheck.config import Config
from twelvecheck.discover import Candidate
from twelvecheck.engine import Engine, display_path
from twelvecheck.files import Unreadable, read_text, user_cache_dir
from twelvecheck.findings import Finding
from twelvecheck.parse.model import Span
from twelvecheck.results import Suppressed
from twelvecheck.rules.source._base import SemgrepRule
from twelvecheck.rules.source._context import Match, SourceContext

SOURCE_KINDS = frozenset({"source"})
SEMGREP_OPTIONS = ("--json", "--quiet", "--metrics=off", "--disable-version-check", "--timeout=30")
OFFLINE_ENVIRONMENT = {"SEMGREP_SEND_METRICS": "off", "SEMGREP_ENABLE_VERSION_CHECK": "0"}


@dataclass(frozen=True, slots=True)
class Scan:
    """Matches per absolute file path, and why semgrep could not run (None when it ran or was not needed)."""

    matches: dict[str, list[Match]]
    notice: str | None = None
    semgrep_runs: int = 0


def semgrep_executable() -> str | None:
    """semgrep on PATH, or beside this Python (a virtualenv that is not activated)."""
    beside = Path(sys.executable).parent / "semgrep"
    return shutil.which("semgrep") or (str(beside) if beside.is_file() else None)


class MatchCache:
    """Matches of one file, stored by content digest; written atomically, safe to share."""

    def __init__(self, rulesets: Sequence[Path], directory: str | None = None):
        self.directory = directory or user_cache_dir("semgrep")
        digest = hashlib.sha256(_semgrep_version().encode())
        for path in rulesets:
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        self.rules_digest = digest.hexdigest()

    def key(self, path: str, content: bytes) -> str:
        suffix = os.path.splitext(path)[1]
        return hashlib.sha256(f"{self.rules_digest}\0{suffix}\0".encode() + content).hexdigest()

    def _entry(self, key: str) -> str:
        return os.path.join(self.directory, key[:2], f"{key}.json")

    def get(self, key: str) -> list[Match] | None:
        try:
            with open(self._entry(key), encoding="utf-8") as handle:
                return [Match.from_json(item) for item in json.load(handle)]
        except (OSError, ValueError, TypeError):
            return None

    def put(self, key: str, matches: Iterable[Match]) -> None:
        from twelvecheck.report import write_atomic

        entry = self._entry(key)
        try:
            os.makedirs(os.path.dirname(entry), exist_ok=True)
            write_atomic(entry, json.dumps([match.as_json() for match in matches]))
        except OSError:
            pass  # an unwritable cache only costs the next run its speed


def _semgrep_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("semgrep")
    except PackageNotFoundError:
        executable = semgrep_executable() or ""
        return f"{executable}:{os.path.getmtime(executable) if executable else 0}"


def scan(files: Sequence[str], rulesets: Sequence[Path], cache: MatchCache | None = None) -> Scan:
    """Matches of ``rulesets`` in ``files`` (absolute paths): from the cache, else from one semgrep run."""
    if not files or not rulesets:
        return Scan({})
    cache = cache or MatchCache(rulesets)
    keys = {path: cache.key(path, Path(path).read_bytes()) for path in files}
    found = {path: cache.get(key) for path, key in keys.items()}
    missing = [path for path, matches in found.items() if matches is None]
    if not missing:
        return Scan(found)  # type: ignore[arg-type]
    executable = semgrep_executable()
    if executable is None:
        return Scan({}, "semgrep is not installed, so its source rules (AP001-AP070) did not run; "
                        "the cross-checks of code against the image (AP2xx) need no semgrep and did")
    fresh, problem = _run(executable, missing, rulesets)
    if problem is not None:
        return Scan({}, problem, semgrep_runs=1)
    for path in missing:
        found[path] = fresh.get(path, [])
        cache.put(keys[path], found[path])
    return Scan(found, semgrep_runs=1)  # type: ignore[arg-type]


def _run(executable: str, files: Sequence[str], rulesets: Sequence[Path]) -> tuple[dict[str, list[Match]], str | None]:
    configs = [option for path in rulesets for option in ("--config", str(path.resolve()))]
    command = [executable, "scan", *SEMGREP_OPTIONS, *configs, "--", *files]
    try:
        done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, **OFFLINE_ENVIRONMENT})
        output = json.loads(done.stdout)
    except (OSError, ValueError) as error:
        return {}, f"semgrep could not run, so application source was not checked: {error}"
    if done.returncode not in (0, 1) and not output.get("results"):
        reasons = "; ".join(str(e.get("message", e))[:200] for e in output.get("errors", [])) or done.stderr[-300:]
        return {}, f"semgrep failed (exit {done.returncode}), so application source was not checked: {reasons}"
    return _matches(output.get("results", [])), None


def _matches(results: Iterable[dict]) -> dict[str, list[Match]]:
    by_path: dict[str, list[Match]] = {}
    for result in results:
        code = (result.get("extra", {}).get("metadata") or {}).get("code")
        if not code:
            continue
        start, end = result["start"], result["end"]
        span = Span(start["line"], start["col"], end["line"], end["col"])
        by_path.setdefault(os.path.abspath(result["path"]), []).append(Match(code, span, result["extra"]["message"].strip()))
    return by_path


def lint_sources(jobs: Sequence[tuple[Candidate, str]], config: Config) -> tuple[list[Finding], list[Suppressed], Scan]:
    """Lint application files: one scan for all of them, then the engine stamps and suppresses."""
    engine = Engine(config, SOURCE_KINDS)
    rulesets = [active.cls.ruleset for active in engine.active if issubclass(active.cls, SemgrepRule)]
    readable = {os.path.abspath(c.path): c for c, _ in jobs
                if c.problem is None and not isinstance(read_text(c.path, config.max_file_bytes), Unreadable)}
    result = scan(sorted(readable), rulesets)
    findings: list[Finding] = []
    suppressed: list[Suppressed] = []
    notice = result.notice
    for candidate, display in jobs:
        absolute = os.path.abspath(candidate.path)
        if absolute not in readable:
            found, silenced = engine.lint_file(candidate, display)
        else:
            ctx = SourceContext(display, Path(absolute).read_text(encoding="utf-8"), result.matches.get(absolute, ()),
                                engine.known_keys, notice)
            notice = None  # said once, on the first file
            found, silenced = engine.lint_context(ctx)
        findings.extend(found)
        suppressed.extend(silenced)
    return findings, suppressed, result


def run_semgrep(root: str, files: Sequence[str], config: Config) -> list[Finding]:
    """AP findings for ``files`` (paths), reported relative to ``root``: the audit's entry point."""
    jobs = [(Candidate(path, "source"), display_path(path, root)) for path in files]
    return lint_sources(jobs, config)[0]
