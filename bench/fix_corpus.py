"""``--fix --unsafe-fixes`` over the shared corpus, in a temporary copy, then lint again.

Checks what issue 12 asks of the fixer and prints the numbers:
- every Dockerfile BuildKit's parser (the ``dockerfile`` package) read before still parses;
- the share of the fixable rules' findings that are gone (and of those that carried a fix);
- no rule has more findings than before;
- a second run changes no file;
- every RUN script a fix changed still passes `bash -n`.
Prints files changed and findings fixed per rule.

Usage: python bench/fix_corpus.py [--limit N] [--safe-only]
The corpus is copied at run time into a temporary tree that rebuilds each repository's layout
(see audit_corpus.py), so nothing from the corpus enters this project.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from audit_corpus import CORPUS, rebuild  # noqa: E402


@dataclass
class Outcome:
    files: int = 0
    changed: int = 0
    before: Counter = field(default_factory=Counter)  # rule -> findings before
    after: Counter = field(default_factory=Counter)
    with_fix: Counter = field(default_factory=Counter)  # rule -> findings offering an applicable fix
    applied: Counter = field(default_factory=Counter)  # rule -> fixes applied
    broken: list[str] = field(default_factory=list)  # parsed with BuildKit before, not after
    unstable: list[str] = field(default_factory=list)  # changed again by a second run
    bad_shell: list[str] = field(default_factory=list)  # a changed RUN script `bash -n` rejects
    refused: list[tuple[str, str]] = field(default_factory=list)
    fixable: frozenset[str] = frozenset()
    seconds: float = 0.0

    def gone(self, rules=None) -> tuple[int, int]:
        rules = self.fixable if rules is None else rules
        before = sum(self.before[r] for r in rules)
        return before - sum(min(self.after[r], self.before[r]) for r in rules), before

    @property
    def grown(self) -> dict[str, tuple[int, int]]:
        return {r: (self.before[r], self.after[r]) for r in self.after if self.after[r] > self.before[r]}


def buildkit_parses(text: str) -> bool:
    import dockerfile

    try:
        dockerfile.parse_string(text)
    except dockerfile.GoParseError:
        return False
    return True


def _run_scripts(text: str) -> list[str]:
    from twelvecheck.parse.dockerfile import parse

    return [i.text for i in parse(text, "Dockerfile").instructions
            if i.keyword == "RUN" and not i.json and not i.heredocs]


def shell_rejects(plan) -> list[str]:
    """The fixed file's changed RUN scripts that ``bash -n`` (syntax only) rejects."""
    import shutil
    import subprocess

    if plan.kind != "dockerfile" or shutil.which("bash") is None:
        return []
    before = set(_run_scripts(plan.original))
    return [f"{plan.path}: {script[:120]}" for script in _run_scripts(plan.fixed) if script not in before
            and subprocess.run(["bash", "-n", "-c", script], capture_output=True).returncode != 0]


def run(root: Path, unsafe: bool = True, limit: int | None = None) -> Outcome:
    """Fix the corpus copy below ``root`` (``limit``: only the first N repositories)."""
    from twelvecheck.config import Config
    from twelvecheck.engine import lint
    from twelvecheck.fix import fix_candidates, fix_paths
    from twelvecheck.rules.registry import all_rules

    repos = rebuild(root)
    paths = [str(path) for _, path in sorted(repos.items())[:limit]] if limit else [str(root)]
    # ShellCheck (SH100) is left out: it is not fixable and costs a process per batch.
    config = Config(select=("all",), ignore=("SH100",))
    outcome = Outcome(fixable=frozenset(r.code for r in all_rules() if r.fixable))
    files = [source for source, *_ in fix_candidates(paths, config)]
    outcome.files = len(files)
    parsed_before = {f: buildkit_parses(Path(f).read_text(errors="replace")) for f in files
                     if Path(f).suffix not in (".yml", ".yaml")}
    for finding in lint(paths, config).findings:
        outcome.before[finding.rule] += 1
        if finding.fix is not None and (unsafe or finding.fix.safe):
            outcome.with_fix[finding.rule] += 1
    started = time.perf_counter()
    first = fix_paths(paths, config, unsafe=unsafe)
    outcome.seconds = time.perf_counter() - started
    outcome.changed = len(first.written)
    outcome.applied = first.applied
    outcome.refused = first.refused
    outcome.bad_shell = [problem for plan in first.written for problem in shell_rejects(plan)]
    for finding in lint(paths, config).findings:
        outcome.after[finding.rule] += 1
    outcome.broken = [f for f, ok in parsed_before.items() if ok and not buildkit_parses(Path(f).read_text())]
    second = fix_paths(paths, config, unsafe=unsafe)
    outcome.unstable = [plan.path for plan in second.written]
    return outcome


def main() -> int:
    args = sys.argv[1:]
    limit = int(args[args.index("--limit") + 1]) if "--limit" in args else None
    unsafe = "--safe-only" not in args
    if not (CORPUS / "MANIFEST.tsv").is_file():
        print(f"no corpus at {CORPUS}")
        return 2
    with tempfile.TemporaryDirectory() as scratch:
        outcome = run(Path(scratch), unsafe=unsafe, limit=limit)
    print(f"files: {outcome.files}, changed: {outcome.changed}, fixing took {outcome.seconds:.1f} s")
    print(f"{'rule':6} {'before':>7} {'with fix':>8} {'applied':>7} {'after':>6} {'gone':>6}")
    for rule in sorted(outcome.fixable):
        before, after = outcome.before[rule], outcome.after[rule]
        if before or outcome.applied[rule]:
            share = f"{100 * (before - min(after, before)) / before:5.1f}%" if before else "     -"
            print(f"{rule:6} {before:7} {outcome.with_fix[rule]:8} {outcome.applied[rule]:7} {after:6} {share}")
    gone, total = outcome.gone()
    fixable_found = sum(outcome.with_fix.values())
    print(f"fixable rules' findings gone: {gone}/{total} ({100 * gone / max(total, 1):.1f}%); "
          f"findings that offered a fix: {fixable_found}")
    print(f"rules with more findings than before: {outcome.grown or 'none'}")
    print(f"Dockerfiles BuildKit parsed before and not after: {outcome.broken or 'none'}")
    print(f"files a second run changed: {outcome.unstable or 'none'}")
    print(f"changed RUN scripts bash -n rejects: {outcome.bad_shell or 'none'}")
    for path, why in outcome.refused:
        print(f"refused: {path} {why}")
    ok = not outcome.broken and not outcome.unstable and not outcome.grown and not outcome.bad_shell
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
