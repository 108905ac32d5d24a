"""Corpus findings per rule, and audit verdicts per repository, saved to compare two versions.

Rebuilds each corpus repository's layout in a temporary tree (as ``audit_corpus.py`` does, so
nothing from the corpus enters this project), then records, with whichever ``twelvecheck`` is
importable (run it with ``PYTHONPATH=<an export of another commit>`` for the "before" side):
  * ``lint``: findings per rule of one ``lint`` over every rebuilt repository;
  * ``audit``: findings per rule summed over one ``audit`` per repository;
  * ``verdicts``: each repository's factor statuses and finding counts.
Usage:
  python bench/corpus_findings.py save OUT.json
  python bench/corpus_findings.py compare BEFORE.json AFTER.json [--repos R1,R2,...]
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from audit_corpus import CORPUS, rebuild  # noqa: E402


def save(out: str) -> int:
    import twelvecheck
    from twelvecheck.config import Config
    from twelvecheck.engine import lint
    from twelvecheck.repository_audit import audit

    if not (CORPUS / "MANIFEST.tsv").is_file():
        print(f"corpus not found at {CORPUS}", file=sys.stderr)
        return 2
    data: dict = {"version": twelvecheck.__file__, "lint": {}, "audit": {}, "verdicts": {}, "messages": {}}
    with tempfile.TemporaryDirectory() as tmp:
        repos = rebuild(Path(tmp))
        report = lint([str(directory) for directory in repos.values()], Config(), root=tmp)
        data["lint"] = dict(Counter(f.rule for f in report.findings))
        data["messages"]["lint"] = sorted(f"{f.rule} {f.file}:{f.span.line} {f.message}" for f in report.findings)
        audited: Counter[str] = Counter()
        for name, directory in sorted(repos.items()):
            report = audit(str(directory), Config())
            audited.update(f.rule for f in report.findings)
            data["verdicts"][name] = {
                "score": report.score,
                "factors": {factor: [entry["status"], entry.get("findings", 0)] for factor, entry in report.factors.items()},
            }
            data["messages"][name] = sorted(f"{f.rule} {f.file}:{f.span.line} {f.message}" for f in report.findings)
        data["audit"] = dict(audited)
    Path(out).write_text(json.dumps(data, indent=1, sort_keys=True))
    print(f"lint {sum(data['lint'].values())} findings, audit {sum(data['audit'].values())} -> {out}")
    return 0


def compare(before_path: str, after_path: str, repos: list[str]) -> int:
    before = json.loads(Path(before_path).read_text())
    after = json.loads(Path(after_path).read_text())
    for side in ("lint", "audit"):
        old, new = before[side], after[side]
        print(f"## {side}: {sum(old.values())} -> {sum(new.values())}")
        for rule in sorted(set(old) | set(new)):
            if old.get(rule, 0) != new.get(rule, 0):
                print(f"  {rule}: {old.get(rule, 0)} -> {new.get(rule, 0)}")
    key = "lint"
    gone = sorted(set(before["messages"][key]) - set(after["messages"][key]))
    came = sorted(set(after["messages"][key]) - set(before["messages"][key]))
    print(f"## lint findings gone ({len(gone)}) / new ({len(came)})")
    for line in gone:
        print(f"  - {line}")
    for line in came:
        print(f"  + {line}")
    names = repos or sorted(after["verdicts"])
    for name in names:
        old, new = before["verdicts"].get(name, {}), after["verdicts"].get(name, {})
        print(f"## {name}: score {old.get('score')} -> {new.get('score')}")
        for factor, (status, count) in new.get("factors", {}).items():
            was = old.get("factors", {}).get(factor)
            moved = "" if was == [status, count] else f"   (was {was[0]} {was[1]})" if was else "   (new)"
            print(f"  {factor:>4} {status:<14} {count:>3}{moved}")
        if repos:
            lost = sorted(set(before["messages"].get(name, [])) - set(after["messages"].get(name, [])))
            gained = sorted(set(after["messages"].get(name, [])) - set(before["messages"].get(name, [])))
            for line in lost:
                print(f"    - {line}")
            for line in gained:
                print(f"    + {line}")
    return 0


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "save":
        return save(argv[1])
    if len(argv) >= 3 and argv[0] == "compare":
        repos = argv[argv.index("--repos") + 1].split(",") if "--repos" in argv else []
        return compare(argv[1], argv[2], repos)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
