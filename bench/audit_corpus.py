"""Run ``twelvecheck audit`` on each repository of the shared corpus and print its runtime.

The corpus files are copied at run time into a temporary tree that rebuilds each repository's
layout (MANIFEST.tsv: file, repo, path), so nothing from the corpus enters this project.
Usage: python bench/audit_corpus.py [--findings] [--show CODE ...]
  --findings     counts per rule (and per factor status) after the timings
  --show CODE    every finding of that rule (repository, file:line, message), for reviewing
                 false positives; repeatable
"""

from __future__ import annotations

import csv
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"


def rebuild(root: Path) -> dict[str, Path]:
    """Copy every corpus file to ``root/<repo>/<path>``; returns repo -> its directory."""
    repos = {}
    with (CORPUS / "MANIFEST.tsv").open(newline="") as manifest:
        for row in csv.DictReader(manifest, delimiter="\t"):
            destination = root / row["repo"] / row["path"]
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(CORPUS / row["file"], destination)
            repos[row["repo"]] = root / row["repo"]
    return repos


def main() -> int:
    from twelvecheck.repository_audit import audit
    from twelvecheck.config import Config

    if not (CORPUS / "MANIFEST.tsv").is_file():
        print(f"corpus not found at {CORPUS}", file=sys.stderr)
        return 2
    per_rule: Counter[str] = Counter()
    shown = _shown_rules(sys.argv[1:])
    details: list[str] = []
    statuses: dict[str, Counter] = defaultdict(Counter)
    with tempfile.TemporaryDirectory() as tmp:
        repos = rebuild(Path(tmp))
        total = 0.0
        print(f"{'repository':<45} {'files':>5} {'findings':>8} {'score':>5} {'seconds':>8}")
        for name, directory in sorted(repos.items()):
            started = time.perf_counter()
            report = audit(str(directory), Config())
            elapsed = time.perf_counter() - started
            total += elapsed
            per_rule.update(f.rule for f in report.findings)
            details.extend(f"{f.rule} {name} {f.file}:{f.span.line} {f.message}" for f in report.findings if f.rule in shown)
            for factor, entry in report.factors.items():
                statuses[factor][entry["status"]] += 1
            print(f"{name:<45} {len(report.files):>5} {len(report.findings):>8} {report.score if report.score is not None else '-':>5} {elapsed:>8.3f}")
        print(f"{len(repos)} repositories in {total:.2f} s")
    if "--findings" in sys.argv:
        for rule, count in sorted(per_rule.items()):
            print(f"{rule} {count}")
        for factor, counts in statuses.items():
            print(factor, dict(counts))
    for line in sorted(details):
        print(line)
    return 0


def _shown_rules(argv: list[str]) -> set[str]:
    return {argv[i + 1].upper() for i, arg in enumerate(argv[:-1]) if arg == "--show"}


if __name__ == "__main__":
    sys.exit(main())
