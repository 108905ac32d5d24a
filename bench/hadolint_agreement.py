"""Per hadolint code: findings both tools report, only hadolint, only twelvecheck.

    python bench/hadolint_agreement.py [--prefix SH] [--show DL3008] [FILES...]

Runs ``hadolint -f json`` and ``twelvecheck lint --format json --select all`` over the corpus
(or FILES) and matches findings by file, hadolint alias and instruction: hadolint reports the
first line of an instruction, twelvecheck the line of the command inside it, so a twelvecheck
finding matches when it lies within the instruction that starts at hadolint's line.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

from _measure import CORPUS_DOCKERFILES, tool

from twelvecheck.parse.dockerfile import parse as parse_dockerfile
from twelvecheck.rules.registry import all_rules


def instruction_ranges(path: str) -> list[tuple[int, int]]:
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    return [(i.span.line, i.span.end_line) for i in parse_dockerfile(text, path).instructions]


def run_json(argv: list[str]):
    return json.loads(subprocess.run(argv, capture_output=True, text=True, check=False).stdout or "[]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("files", nargs="*")
    parser.add_argument("--prefix", default="", help="only twelvecheck rules whose code starts so")
    parser.add_argument("--show", default="", help="list the differences of one hadolint code")
    args = parser.parse_args()
    files = args.files or CORPUS_DOCKERFILES
    if not files:
        sys.exit("no files: ../shared/corpus is not beside this checkout")
    theirs = run_json([tool("hadolint"), "--no-fail", "-f", "json", *files])
    ours = run_json([tool("twelvecheck"), "lint", "--format", "json", "--fail-on", "never",
                     "--select", "all", *files])["findings"]
    ours = [f for f in ours if f["rule"].startswith(args.prefix)]
    codes = {alias for rule in all_rules() if rule.code.startswith(args.prefix)
             for alias in rule.aliases.get("hadolint", ())}
    ranges = {str(Path(f).resolve()): instruction_ranges(f) for f in files}

    def instruction_of(file: str, line: int) -> int:
        for start, end in ranges.get(str(Path(file).resolve()), []):
            if start <= line <= end:
                return start
        return line

    hadolint_keys = Counter((str(Path(f["file"]).resolve()), f["code"], f["line"])
                            for f in theirs if f["code"] in codes)
    our_keys = Counter()
    for finding in ours:
        file = str(Path(finding["file"]).resolve())
        for alias in finding["aliases"]:
            if alias in codes:
                our_keys[(file, alias, instruction_of(file, finding["line"]))] += 1
    table = defaultdict(lambda: [0, 0, 0])
    differences = defaultdict(list)
    for key in set(hadolint_keys) | set(our_keys):
        column = 0 if key in hadolint_keys and key in our_keys else 1 if key in hadolint_keys else 2
        table[key[1]][column] += 1
        if column:
            differences[key[1]].append(("only hadolint" if column == 1 else "only twelvecheck", key))
    print(f"{'code':<8}{'both':>6}{'only hadolint':>15}{'only twelvecheck':>18}{'reproduced':>12}")
    for code in sorted(table):
        both, only_h, only_t = table[code]
        share = f"{100 * both / (both + only_h):.1f}%" if both + only_h else "-"
        print(f"{code:<8}{both:>6}{only_h:>15}{only_t:>18}{share:>12}")
    for side, (file, code, line) in sorted(differences.get(args.show, [])):
        print(f"{side}: {file}:{line}")


if __name__ == "__main__":
    main()
