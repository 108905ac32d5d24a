"""The engine: select rules, run them per file (in parallel for big runs), stamp, suppress, sort."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from twelvecheck.config import Config
from twelvecheck.discover import Candidate, discover
from twelvecheck.files import Unreadable, read_text
from twelvecheck.findings import Finding
from twelvecheck.parse.model import Span
from twelvecheck.results import Report, Suppressed
from twelvecheck.rules.base import Rule
from twelvecheck.rules.context import DockerfileContext, FileContext
from twelvecheck.rules.registry import rules_for

LINT_KINDS = frozenset({"dockerfile"})
PARALLEL_THRESHOLD = 24  # below this many files a process pool costs more than it saves


@dataclass(frozen=True, slots=True)
class _Active:
    cls: type[Rule]
    rule: Rule
    severity: str
    keys: frozenset[str]  # code, name and aliases, lower-cased
    ignore_paths: tuple[str, ...]


class Engine:
    """Runs the selected rules over files of the given kinds."""

    def __init__(self, config: Config, kinds: frozenset[str] = LINT_KINDS):
        self.config = config
        self.kinds = kinds
        classes = rules_for(kinds)
        self.known_keys = frozenset(key for cls in classes for key in _keys(cls))
        self.active: list[_Active] = []
        for cls in classes:
            if not config.is_enabled(cls):
                continue
            settings = config.settings_for(cls)
            rule = cls(_rule_options(cls, settings.options, config))
            self.active.append(_Active(cls, rule, settings.severity or cls.severity, _keys(cls), settings.ignore_paths))
        self._by_code = {cls.code: cls for cls in classes}

    def context(self, candidate: Candidate, display: str) -> FileContext:
        if candidate.problem is not None:
            return FileContext(display, Unreadable(candidate.problem))
        text = read_text(candidate.path, self.config.max_file_bytes)
        if isinstance(text, Unreadable):
            return FileContext(display, text)
        if candidate.kind == "dockerfile":
            from twelvecheck.parse.dockerfile import parse

            return DockerfileContext(display, parse(text, display), self.known_keys)
        return FileContext(display)

    def lint_file(self, candidate: Candidate, display: str) -> tuple[list[Finding], list[Suppressed]]:
        return self.lint_context(self.context(candidate, display))

    def lint_context(self, ctx: FileContext) -> tuple[list[Finding], list[Suppressed]]:
        """Run the active rules of the context's kind; stamp and suppress what they find."""
        display = ctx.path
        findings: list[Finding] = []
        suppressed: list[Suppressed] = []
        suppressions = ctx.suppressions
        for active in self.active:
            if active.cls.kind not in (ctx.kind, "any") or _path_ignored(display, active.ignore_paths):
                continue
            for finding in self._run(active, ctx):
                why = suppressions.justification(finding, active.keys)
                if why is None:
                    findings.append(finding)
                else:
                    suppressed.append(Suppressed(finding, why))
        return findings, suppressed

    def _run(self, active: _Active, ctx: FileContext) -> Iterator[Finding]:
        try:
            for finding in active.rule.check(ctx):
                yield self.stamp(active, finding, ctx.path)
        except Exception as error:  # a broken rule must not take the whole run down
            crash = self._by_code.get("TC004")
            if crash is not None:
                message = f"rule {active.cls.code} ({active.cls.name}) failed on this file: {type(error).__name__}: {error}"
                yield Finding(Span(1, 1, 1, 1), message, rule=crash.code, name=crash.name, severity=crash.severity, file=ctx.path)

    @staticmethod
    def stamp(active: _Active, finding: Finding, path: str) -> Finding:
        cls = active.cls
        return replace(
            finding, rule=cls.code, name=cls.name, severity=active.severity,
            factors=tuple(cls.factors), aliases=cls.all_aliases(), file=path,
        )


def _keys(cls: type[Rule]) -> frozenset[str]:
    return frozenset({cls.code.lower(), cls.name} | {alias.lower() for alias in cls.all_aliases()})


def _rule_options(cls: type[Rule], options: dict, config: Config) -> dict:
    """Options the rule declares, from its settings and from the shared config keys of the same name."""
    shared = {"trusted_registries": config.trusted_registries, "label_schema": config.label_schema,
              "strict_labels": config.strict_labels}
    chosen = {name: shared[name] for name in cls.options if name in shared and shared[name]}
    unknown = sorted(set(options) - set(cls.options))
    if unknown:
        from twelvecheck.config import ConfigError

        raise ConfigError(f"rule {cls.code} ({cls.name}) has no option(s) {', '.join(unknown)}; "
                          f"its options are: {', '.join(cls.options) or 'none'}")
    return {**chosen, **options}


def _path_ignored(path: str, patterns: Sequence[str]) -> bool:
    return any(fnmatch.fnmatch(path, pattern) for pattern in patterns)


def display_path(path: str, root: str) -> str:
    """Paths relative to the working directory (or the audited root) when below it."""
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute, os.path.abspath(root))
    return path if relative.startswith("..") else relative


_worker_engine: Engine | None = None


def _init_worker(config: Config, kinds: frozenset[str]) -> None:
    global _worker_engine
    _worker_engine = Engine(config, kinds)


def _work(job: tuple[Candidate, str]) -> tuple[list[Finding], list[Suppressed]]:
    assert _worker_engine is not None
    return _worker_engine.lint_file(*job)


def run_files(jobs: list[tuple[Candidate, str]], config: Config, kinds: frozenset[str]) -> tuple[list[Finding], list[Suppressed]]:
    workers = config.jobs or os.cpu_count() or 1
    findings: list[Finding] = []
    suppressed: list[Suppressed] = []
    if workers > 1 and len(jobs) >= PARALLEL_THRESHOLD:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("fork")
        chunk = max(1, len(jobs) // (workers * 4))
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker, initargs=(config, kinds)) as pool:
            results: Iterable = list(pool.map(_work, jobs, chunksize=chunk))
    else:
        engine = Engine(config, kinds)
        results = (engine.lint_file(*job) for job in jobs)
    for found, silenced in results:
        findings.extend(found)
        suppressed.extend(silenced)
    return findings, suppressed


def lint(paths: Sequence[str], config: Config | None = None, root: str = ".", kinds: frozenset[str] = LINT_KINDS) -> Report:
    """Lint files and directories; findings sorted by file, line, column and rule."""
    config = config or Config()
    Engine(config, kinds)  # validate rule options before any work, in this process
    # application source comes from a directory walk only when asked for, from a named file always
    candidates = [c for c in discover(paths or ["."], kinds)
                  if c.kind is None or c.kind in kinds or c.kind == "source"]
    jobs = [(c, display_path(c.path, root)) for c in candidates
            if not _path_ignored(display_path(c.path, root), config.ignore_paths)]
    source_jobs = [job for job in jobs if job[0].kind == "source"]
    findings, suppressed = run_files([job for job in jobs if job[0].kind != "source"], config, kinds)
    if source_jobs:
        from twelvecheck.rules.semgrep import lint_sources

        found, silenced, _ = lint_sources(source_jobs, config)
        findings.extend(found)
        suppressed.extend(silenced)
    findings.sort(key=lambda finding: finding.sort_key)
    return Report(findings=findings, files=[display for _, display in jobs], suppressed=suppressed, root=root)
