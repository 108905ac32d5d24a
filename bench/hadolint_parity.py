"""Per hadolint code: findings both tools report, only hadolint, only twelvecheck, on the corpus.

    python bench/hadolint_parity.py [--show CODE] [FILES...]

Findings are matched by file, hadolint code (through our rules' aliases) and instruction: hadolint
reports an instruction's first line, twelvecheck the exact line inside it (a command in a
multi-line RUN), so both are mapped to the instruction that holds them, and counted once per
instruction (hadolint reports a RUN once; we report each offending command in it). Every difference is
either a bug to fix or listed in docs/hadolint-differences.md with a test pinning our behaviour.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

from _measure import CORPUS_DOCKERFILES, tool

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from twelvecheck.parse.dockerfile import parse  # noqa: E402


def _instruction_line(path: str, line: int, cache: dict) -> int:
    if path not in cache:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
        cache[path] = [(i.span.line, i.span.end_line) for i in parse(text).instructions]
    for start, end in cache[path]:
        if start <= line <= end:
            return start
    return line


def hadolint_findings(files: list[str]) -> Counter:
    result = subprocess.run([tool("hadolint"), "--no-fail", "-f", "json", *files], capture_output=True, text=True)
    found = Counter()
    for item in json.loads(result.stdout or "[]"):
        found[(item["file"], item["code"], item["line"])] = 1
    return found


def twelvecheck_findings(files: list[str]) -> Counter:
    result = subprocess.run([tool("twelvecheck"), "lint", "--format", "json", "--fail-on", "never", "--select", "all",
                             *files], capture_output=True, text=True)
    found, lines = Counter(), {}
    for item in json.loads(result.stdout)["findings"]:
        for alias in item["aliases"]:
            if alias.startswith("DL") or alias.startswith("SC") and item["rule"].startswith("SH1"):
                found[(item["file"], alias, _instruction_line(item["file"], item["line"], lines))] = 1
        for code in _shellcheck_codes(item):
            found[(item["file"], code, _instruction_line(item["file"], item["line"], lines))] = 1
    return found


def _shellcheck_codes(item: dict) -> list[str]:
    """ShellCheck findings name their SC code in the message: 'SC2086: …'."""
    head = item["message"].split(":", 1)[0]
    return [head] if head.startswith("SC") and head[2:].isdigit() and not item["aliases"] else []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--show", help="list the differing findings of one code")
    parser.add_argument("files", nargs="*")
    args = parser.parse_args()
    files = [str(Path(f).resolve()) for f in args.files] or CORPUS_DOCKERFILES
    theirs, ours = hadolint_findings(files), twelvecheck_findings(files)
    codes = sorted({key[1] for key in theirs} | {key[1] for key in ours})
    print(f"{'code':<8} {'both':>6} {'only hadolint':>14} {'only ours':>10} {'reproduced':>11}")
    for code in codes:
        mine = Counter({k: n for k, n in ours.items() if k[1] == code})
        hers = Counter({k: n for k, n in theirs.items() if k[1] == code})
        both = sum((mine & hers).values())
        only_hers, only_mine = sum((hers - mine).values()), sum((mine - hers).values())
        total = both + only_hers
        share = f"{both / total:.1%}" if total else "-"
        print(f"{code:<8} {both:>6} {only_hers:>14} {only_mine:>10} {share:>11}")
        if args.show == code:
            for key in sorted((hers - mine) + (mine - hers)):
                side = "hadolint" if key in hers - mine else "ours"
                print(f"    {side:<9} {Path(key[0]).name}:{key[2]}")


if __name__ == "__main__":
    main()
