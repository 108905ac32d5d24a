"""The engine: select rules, run them per file (in parallel for big runs), stamp, suppress, sort."""

from __future__ import annotations

import fnmatch
import gc
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace

from twelvecheck.config import Config, config_for
from twelvecheck.discover import Candidate, discover, files_below, group_compose_projects
from twelvecheck.files import Unreadable, check_readable, read_text
from twelvecheck.findings import Finding
from twelvecheck.parse.model import Span
from twelvecheck.results import Report, Suppressed
from twelvecheck.rules.base import Rule
from twelvecheck.rules.context import DockerfileContext, FileContext
from twelvecheck.rules.index import RuleInfo, info_of
from twelvecheck.rules.registry import configured_rules_for, rule_infos_for, rule_keys

LINT_KINDS = frozenset({"dockerfile", "compose", "dockerignore"})
PARALLEL_THRESHOLD = 24  # below this many files a process pool costs more than it saves
SERIAL_BATCH = 64  # files parsed and prepared together when linting in this process


class _Active:
    """A selected rule: its index entry and settings; its class is imported, and the rule
    made, the first time a file could trigger it."""

    __slots__ = ("info", "severity", "keys", "ignore_paths", "configured_severity", "options", "_cls", "_rule")

    def __init__(self, info: RuleInfo, cls: type[Rule] | None, options: dict, settings) -> None:
        self.info = info
        self.severity = settings.severity or info.severity
        self.keys = rule_keys(info)  # code, name and aliases, lower-cased
        self.ignore_paths: tuple[str, ...] = settings.ignore_paths
        self.configured_severity: str | None = settings.severity  # set by the user: overrides a finding's own level
        self.options = options
        self._cls = cls
        self._rule: Rule | None = None

    @property
    def cls(self) -> type[Rule]:
        if self._cls is None:
            self._cls = self.info.load()
        return self._cls

    @property
    def rule(self) -> Rule:
        if self._rule is None:
            self._rule = self.cls(self.options)
        return self._rule

    def may_fire(self, ctx: FileContext) -> bool:
        """False when the file has none of the instructions or commands the rule looks at."""
        info = self.info
        if info.kind not in (ctx.kind, "any"):
            return False
        if info.keywords is not None:
            present = getattr(ctx, "instruction_keywords", None)
            return present is None or not info.keywords.isdisjoint(present)
        if info.commands is not None:
            present = getattr(ctx, "command_names", None)
            return present is None or not info.commands.isdisjoint(present)
        return True


class Engine:
    """Runs the selected rules over files of the given kinds."""

    def __init__(self, config: Config, kinds: frozenset[str] = LINT_KINDS, root: str = "."):
        self.config = config
        self.kinds = kinds
        self.root = root
        configured = {cls.code: cls for cls in configured_rules_for(kinds, config)}
        infos = sorted((*rule_infos_for(kinds), *map(info_of, configured.values())), key=lambda info: info.code)
        self.known_keys = frozenset(key for info in infos for key in rule_keys(info))
        self.key_patterns = tuple(re.compile(info.extra_key_pattern, re.IGNORECASE)
                                  for info in infos if info.extra_key_pattern)
        # Plain keys of --ignore / `ignore:` also drop findings carrying them as extra keys.
        self.ignored_keys = frozenset(key.strip().lower() for key in config.ignore)
        self.active: list[_Active] = []
        for info in infos:
            if not config.is_enabled(info):
                continue
            settings = config.settings_for(info)
            options = _rule_options(info, settings.options, config)
            self.active.append(_Active(info, configured.get(info.code), options, settings))
        self._by_code = {info.code: info for info in infos}

    def context(self, candidate: Candidate, display: str) -> FileContext:
        if candidate.problem is not None:
            return FileContext(display, Unreadable(candidate.problem, outside=candidate.outside))
        if candidate.kind == "repository":
            from twelvecheck.rules.repository_context import RepositoryContext

            return RepositoryContext(candidate.path, files_below(candidate.path))
        if candidate.kind == "compose":
            from pathlib import Path

            from twelvecheck.rules.compose_context import ComposeContext

            problem = check_readable(candidate.path, self.config.max_file_bytes, candidate.root)
            if problem is not None:
                return FileContext(display, problem)
            files = [Path(candidate.path), *map(Path, candidate.companions)]
            return ComposeContext(display, files, self.root, self.known_keys, candidate.root)
        text = read_text(candidate.path, self.config.max_file_bytes, candidate.root)
        if isinstance(text, Unreadable):
            return FileContext(display, text)
        if candidate.kind == "dockerfile":
            from twelvecheck.parse.dockerfile import parse

            return DockerfileContext(display, parse(text, display), self.known_keys, source=candidate.path,
                                     key_patterns=self.key_patterns, tree=candidate.root)
        if candidate.kind == "dockerignore":
            from pathlib import Path

            from twelvecheck.parse.dockerignore import parse_dockerignore
            from twelvecheck.rules.dockerignore_context import DockerignoreContext

            context_dir = Path(candidate.path).resolve().parent
            return DockerignoreContext(display, parse_dockerignore(text, display), context_dir, candidate.root)
        return FileContext(display)

    def lint_file(self, candidate: Candidate, display: str) -> tuple[list[Finding], list[Suppressed]]:
        return self.lint_batch([(candidate, display)])[0]

    def lint_batch(self, jobs: Sequence[tuple[Candidate, str]]) -> list[tuple[list[Finding], list[Suppressed]]]:
        """Lint several files: contexts first, then each rule's ``prepare`` once for all of them
        (one ShellCheck process for the batch rather than one per file), then file by file."""
        # What a batch allocates (parsed files, per-file caches, findings) lives until the batch
        # is done and holds almost no cycles: the cyclic collector, which would walk it again and
        # again as it grows (a third of the time on a 50k-stage file), waits for the end.
        collecting = gc.isenabled()
        gc.disable()
        try:
            contexts = [self.context(candidate, display) for candidate, display in jobs]
            for active in self.active:
                if not active.info.prepares:
                    continue
                checked = [ctx for ctx in contexts
                           if active.may_fire(ctx) and not _path_ignored(ctx.path, active.ignore_paths)]
                if not checked:
                    continue
                try:
                    active.rule.prepare(checked)  # only what check() will see: ShellCheck starts its process here
                except Exception:  # preparing is an optimisation; check() reports real failures
                    pass
            return [self.lint_context(ctx) for ctx in contexts]
        finally:
            if collecting:
                gc.enable()

    def lint_context(self, ctx: FileContext) -> tuple[list[Finding], list[Suppressed]]:
        """Run the active rules of the context's kind; stamp and suppress what they find."""
        display = ctx.path
        findings: list[Finding] = []
        suppressed: list[Suppressed] = []
        for active in self.active:
            if not active.may_fire(ctx) or _path_ignored(display, active.ignore_paths):
                continue
            for finding in self._run(active, ctx):
                extra = frozenset(key.lower() for key in finding.extra_keys)
                if extra & self.ignored_keys:
                    continue
                why = ctx.suppressions_for(finding.file).justification(finding, active.keys | extra) \
                    if self.config.ignore_pragmas else None
                if why is None:
                    findings.append(finding)
                else:
                    suppressed.append(Suppressed(finding, why))
        findings.extend(self._unused_suppressions(ctx))
        return findings, suppressed

    def _unused_suppressions(self, ctx: FileContext) -> Iterator[Finding]:
        """TC007 for pragma keys naming a rule that ran here and silenced nothing."""
        unused_rule = self._by_code.get("TC007")
        if unused_rule is None or not self.config.ignore_pragmas or not any(a.info is unused_rule for a in self.active):
            return
        ran = frozenset().union(*(active.keys for active in self.active
                                  if active.info.kind in (ctx.kind, "any") and active.info is not unused_rule))
        for pragma, key in ctx.suppressions.unused():
            if key in ran:
                yield Finding(pragma.span, f"suppression of {key.upper() if key[:2].isalpha() and key[2:].isdigit() else key} "
                              "matched no finding here", hint="remove it (or the part of it that is stale)",
                              rule=unused_rule.code, name=unused_rule.name, severity=unused_rule.severity, file=ctx.path)

    def _run(self, active: _Active, ctx: FileContext) -> Iterator[Finding]:
        try:
            for finding in active.rule.check(ctx):
                yield self.stamp(active, finding, ctx.path)
        except Exception as error:  # a broken rule must not take the whole run down
            crash = self._by_code.get("TC004")
            if crash is not None:
                message = f"rule {active.info.code} ({active.info.name}) failed on this file: {type(error).__name__}: {error}"
                yield Finding(Span(1, 1, 1, 1), message, rule=crash.code, name=crash.name, severity=crash.severity, file=ctx.path)

    @staticmethod
    def stamp(active: _Active, finding: Finding, path: str) -> Finding:
        info = active.info
        severity = active.configured_severity or finding.severity or active.severity
        return replace(
            finding, rule=info.code, name=info.name, severity=severity,
            factors=info.factors, aliases=info.all_aliases(), file=finding.file or path,
        )


def _rule_options(cls: type[Rule] | RuleInfo, options: dict, config: Config) -> dict:
    """Options the rule declares, from its settings and from the shared config keys of the same name."""
    shared = {"trusted_registries": config.trusted_registries, "label_schema": config.label_schema,
              "strict_labels": config.strict_labels, "require_reason": config.require_reason}
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


def _init_worker(config: Config, kinds: frozenset[str], root: str) -> None:
    global _worker_engine
    _worker_engine = Engine(config, kinds, root)


def _work(batch: list[tuple[Candidate, str]]) -> list[tuple[list[Finding], list[Suppressed]]]:
    assert _worker_engine is not None
    return _worker_engine.lint_batch(batch)


def run_files(jobs: list[tuple[Candidate, str]], engine: Engine,
              progress: Callable[[int], None] | None = None) -> tuple[list[Finding], list[Suppressed]]:
    """Lint every job in batches (each rule prepares once per batch), in a process pool when
    there are many; ``progress`` is told how many files each finished batch held."""
    config, kinds, root = engine.config, engine.kinds, engine.root
    workers = config.jobs or os.cpu_count() or 1
    parallel = workers > 1 and len(jobs) >= PARALLEL_THRESHOLD
    size = max(1, -(-len(jobs) // (workers * 4))) if parallel else SERIAL_BATCH
    batches = [jobs[start:start + size] for start in range(0, len(jobs), size)]
    if parallel:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker, initargs=(config, kinds, root)) as pool:
            results: Iterable = list(_reporting(pool.map(_work, batches), progress))
    else:
        results = _reporting(map(engine.lint_batch, batches), progress)
    findings: list[Finding] = []
    suppressed: list[Suppressed] = []
    for batch in results:
        for found, silenced in batch:
            findings.extend(found)
            suppressed.extend(silenced)
    return findings, suppressed


def _once_per_run(findings: list[Finding]) -> list[Finding]:
    """Keep the first of identical per-run notices (same rule and message); files lint in
    separate processes, so only the finished run can tell which one came first."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for finding in findings:
        if finding.per_run:
            if (finding.rule, finding.message) in seen:
                continue
            seen.add((finding.rule, finding.message))
        kept.append(finding)
    return kept


_SERVICE_NAMED = re.compile(r"\bservices? ('[^']+'(?:, '[^']+')*)")


def _one_per_place(findings: list[Finding]) -> list[Finding]:
    """One finding per rule and place: a YAML anchor, a merge key or a shared ``env_file``
    makes several services report the same line; the place is reported once, naming them all
    (``service 'web' (and 'worker')``)."""
    groups: dict[tuple, list[Finding]] = {}
    for finding in findings:
        shape = _SERVICE_NAMED.sub("service *", finding.message)
        groups.setdefault((finding.rule, finding.file, finding.span, shape), []).append(finding)
    kept = []
    for same in groups.values():
        first = same[0]
        names = list(dict.fromkeys(name for finding in same for match in _SERVICE_NAMED.finditer(finding.message)
                                   for name in re.findall(r"'([^']+)'", match.group(1))))
        if len(same) > 1 and len(names) > 1:
            listed = f"service '{names[0]}' (and " + ", ".join(f"'{name}'" for name in names[1:]) + ")"
            first = replace(first, message=_SERVICE_NAMED.sub(lambda _: listed, first.message, count=1))
        kept.append(first)
    return kept


def split_notices(findings: list[Finding]) -> tuple[list[Finding], list[Finding]]:
    """(findings, per-run notices): a check that could not run is said once, not per file."""
    return [f for f in findings if not f.per_run], [f for f in findings if f.per_run]


def _reporting(batches: Iterable[list], progress: Callable[[int], None] | None) -> Iterator[list]:
    for batch in batches:
        if progress is not None:
            progress(len(batch))
        yield batch


def lint_jobs(jobs: list[tuple[Candidate, str]], config: Config, root: str = ".",
              progress: Callable[[int], None] | None = None) -> tuple[list[Finding], list[Suppressed], frozenset[str]]:
    """Lint prepared jobs with the rule families of the kinds present; sorted findings.

    Each file is linted under its own configuration (``config_for``): one engine per distinct
    configuration. Application source goes to semgrep in one scan per configuration; everything
    else file by file.
    """
    findings: list[Finding] = []
    suppressed: list[Suppressed] = []
    present: frozenset[str] = frozenset()
    for own, group in by_config(jobs, config):
        found, silenced, kinds = _lint_group(group, own, root, progress)
        findings.extend(found)
        suppressed.extend(silenced)
        present |= kinds
    findings = _one_per_place(_once_per_run(findings))
    findings.sort(key=lambda finding: finding.sort_key)
    return findings, suppressed, present


def by_config(jobs: list[tuple[Candidate, str]], config: Config) -> list[tuple[Config, list[tuple[Candidate, str]]]]:
    """The jobs grouped by the configuration that applies to each (one group, and no search,
    when the configuration was given rather than found)."""
    if config.search is None:
        return [(config, jobs)]
    groups: dict[int, tuple[Config, list]] = {}
    for job in jobs:
        own = own_config(config, job[0])
        groups.setdefault(id(own), (own, []))[1].append(job)
    return list(groups.values()) or [(config, [])]


def own_config(config: Config, candidate: Candidate) -> Config:
    """The configuration of one candidate (a repository's: its directory's)."""
    return config_for(config, os.path.join(candidate.path, "") if candidate.kind == "repository" else candidate.path)


def skipped(config: Config, candidate: Candidate, display: str) -> bool:
    """Whether the candidate's own configuration's ``ignore-paths`` leave it out: patterns match
    the shown path, or the path relative to the configuration file's directory."""
    own = own_config(config, candidate)
    if not own.ignore_paths:
        return False
    if _path_ignored(display, own.ignore_paths):
        return True
    if own.source is None or not os.path.isfile(own.source):
        return False
    relative = os.path.relpath(os.path.abspath(candidate.path), os.path.dirname(os.path.abspath(own.source)))
    return not relative.startswith("..") and _path_ignored(relative.replace(os.sep, "/"), own.ignore_paths)


def _lint_group(jobs: list[tuple[Candidate, str]], config: Config, root: str,
                progress: Callable[[int], None] | None) -> tuple[list[Finding], list[Suppressed], frozenset[str]]:
    source_jobs = [job for job in jobs if job[0].kind == "source"]
    file_jobs = [job for job in jobs if job[0].kind != "source"]
    # Only the families of kinds present are imported: one Dockerfile never loads the compose rules.
    present = frozenset(c.kind for c, _ in jobs if c.kind) or frozenset({"dockerfile"})
    engine = Engine(config, present - {"source"} or frozenset({"dockerfile"}), root)  # bad options fail first
    findings, suppressed = run_files(file_jobs, engine, progress)
    if source_jobs:
        from twelvecheck.rules.semgrep import lint_sources

        found, silenced, _ = lint_sources(source_jobs, config)
        findings.extend(found)
        suppressed.extend(silenced)
    return findings, suppressed, present


def lint(paths: Sequence[str], config: Config | None = None, root: str = ".", kinds: frozenset[str] = LINT_KINDS) -> Report:
    """Lint files and directories; findings sorted by file, line, column and rule."""
    config = config or Config()
    # application source comes from a directory walk only when asked for, from a named file always
    candidates = group_compose_projects(
        c for c in discover(paths or ["."], kinds) if c.kind is None or c.kind in kinds or c.kind == "source")
    jobs = [(c, display_path(c.path, root)) for c in candidates]
    jobs = [(c, shown) for c, shown in jobs if not skipped(config, c, shown)]
    findings, suppressed, _ = lint_jobs(jobs, config, root)
    findings, notices = split_notices(findings)
    return Report(findings=findings, files=[display for _, display in jobs], suppressed=suppressed, root=root,
                  notices=notices)
