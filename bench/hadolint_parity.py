"""Per hadolint code: findings both tools report, only hadolint, only twelvecheck, on the corpus.

    python bench/hadolint_parity.py [--prefix SH] [--show CODE] [FILES...]

Runs ``hadolint -f json`` and ``twelvecheck lint --format json --select all`` over the corpus
(or FILES). Findings are matched by file, hadolint code (through our rules' aliases; ShellCheck
findings by their ``SCxxxx`` code) and instruction: hadolint reports an instruction's first
line, twelvecheck the exact line inside it (a command in a multi-line RUN), so both are mapped to
the instruction that holds them and counted once per instruction (hadolint reports a RUN once; we
report each offending command in it). ``--prefix SH`` keeps the hadolint codes of our rules whose
code starts so. Every difference is either a bug to fix or listed in
docs/hadolint-differences.md with a test pinning our behaviour.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

from _measure import CORPUS_DOCKERFILES, tool

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from twelvecheck.parse.dockerfile import parse  # noqa: E402
from twelvecheck.rules.registry import all_rules  # noqa: E402

Key = tuple[str, str, int]  # (file, code, first line of the instruction)


class Instructions:
    """Maps a line of a file to the first line of the instruction that holds it."""

    def __init__(self) -> None:
        self._ranges: dict[str, list[tuple[int, int]]] = {}

    def start(self, path: str, line: int) -> int:
        if path not in self._ranges:
            text = Path(path).read_text(encoding="utf-8", errors="replace")
            self._ranges[path] = [(i.span.line, i.span.end_line) for i in parse(text, path).instructions]
        for start, end in self._ranges[path]:
            if start <= line <= end:
                return start
        return line


def run_json(argv: list[str]):
    return json.loads(subprocess.run(argv, capture_output=True, text=True, check=False).stdout or "[]")


def hadolint_findings(files: list[str], saved: Path | None) -> set[Key]:
    """hadolint's findings; with ``saved``, read from that file, written by the first run
    (hadolint takes most of the bench's time and its answer does not change between our fixes)."""
    if saved and saved.exists():
        items = json.loads(saved.read_text(encoding="utf-8"))
    else:
        items = run_json([tool("hadolint"), "--no-fail", "-f", "json", *files])
        if saved:
            saved.write_text(json.dumps(items), encoding="utf-8")
    return {(str(Path(item["file"]).resolve()), item["code"], item["line"]) for item in items}


def twelvecheck_findings(files: list[str], prefix: str) -> set[Key]:
    report = run_json([tool("twelvecheck"), "lint", "--format", "json", "--fail-on", "never",
                       "--select", "all", *files])
    found, instructions = set(), Instructions()
    for item in report["findings"]:
        if not item["rule"].startswith(prefix):
            continue
        file = str(Path(item["file"]).resolve())
        line = instructions.start(file, item["line"])
        for code in [a for a in item["aliases"] if a.startswith("DL")] + _shellcheck_codes(item):
            found.add((file, code, line))
    return found


def _shellcheck_codes(item: dict) -> list[str]:
    """ShellCheck findings name their SC code in the message: 'SC2086: …'."""
    head = item["message"].split(":", 1)[0]
    return [head] if head.startswith("SC") and head[2:].isdigit() else []


def compared_codes(prefix: str, theirs: set[Key], ours: set[Key]) -> list[str]:
    """Every code either tool reported; with a prefix, only the hadolint codes of those rules."""
    codes = {key[1] for key in theirs | ours}
    if prefix:
        aliased = {alias for rule in all_rules() if rule.code.startswith(prefix)
                   for alias in rule.aliases.get("hadolint", ())}
        codes = {code for code in codes if code in aliased or code.startswith("SC") and prefix in "SH100"}
    return sorted(codes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--prefix", default="", help="only twelvecheck rules whose code starts so (SH, DF)")
    parser.add_argument("--show", action="append", default=[], help="list the differing findings of a code")
    parser.add_argument("--hadolint-json", type=Path, help="reuse hadolint's findings saved in this file")
    parser.add_argument("files", nargs="*")
    args = parser.parse_args()
    files = [str(Path(f).resolve()) for f in args.files] or CORPUS_DOCKERFILES
    if not files:
        sys.exit("no files: ../shared/corpus is not beside this checkout")
    theirs, ours = hadolint_findings(files, args.hadolint_json), twelvecheck_findings(files, args.prefix)
    differences = defaultdict(list)
    print(f"{'code':<8}{'both':>6}{'only hadolint':>15}{'only ours':>11}{'reproduced':>12}")
    for code in compared_codes(args.prefix, theirs, ours):
        hers = {key for key in theirs if key[1] == code}
        mine = {key for key in ours if key[1] == code}
        both = len(hers & mine)
        total = both + len(hers - mine)
        share = f"{100 * both / total:.1f}%" if total else "-"
        print(f"{code:<8}{both:>6}{len(hers - mine):>15}{len(mine - hers):>11}{share:>12}")
        differences[code] = sorted([("hadolint", k) for k in hers - mine] + [("ours", k) for k in mine - hers],
                                   key=lambda item: (item[1][0], item[1][2]))
    for code in args.show:
        print(f"\n{code}:")
        for side, (file, _, line) in differences.get(code, []):
            print(f"    only {side:<9} {file}:{line}")


if __name__ == "__main__":
    main()
