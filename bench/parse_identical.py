"""Record or compare what the Dockerfile parser makes of the corpus and of mutated copies of it.

A speed change to the parser must not change a single result. Record on the old code, compare
on the new one:

    python bench/parse_identical.py record before.json
    python bench/parse_identical.py compare before.json    # exit 1 and the first inputs that differ

Each Dockerfile of ../shared/corpus is parsed as it is and, with a fixed seed, with quotes,
escapes, continuations, flags and Unicode blanks inserted at random places; every parse result
and the BuildKit word split of each line (both escape characters) is hashed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
INSERTIONS = ['"', "'", "\\", "\\\n", " ", "\t", "--", "--chown=1:1 ", '--mount="type=cache,target=/x y" ', "é",
              "\u00a0", "\u2003", "=", "$x", "`", "\n", "#", "ENV a=\"b c\" d='e f'\n", "LABEL x=1 \\\n y=2\n",
              "COPY --from=a\\ b --chmod='7 55' a b\n", "ONBUILD COPY --x=\"q\" a b\n", "RUN <<EOF\necho\nEOF\n"]


def inputs(mutations: int) -> list[str]:
    texts = []
    for path in sorted(CORPUS.rglob("*")):
        if path.is_file() and "ockerfile" in path.name:
            try:
                texts.append(path.read_text(encoding="utf-8"))
            except (UnicodeDecodeError, OSError):
                continue
    chance = random.Random(7)
    originals = list(texts)
    for _ in range(mutations):
        text = chance.choice(originals)
        for _ in range(chance.randint(1, 6)):
            at = chance.randint(0, len(text))
            text = text[:at] + chance.choice(INSERTIONS) + text[at:]
        texts.append(text)
    return texts


def results(texts: list[str]) -> list[str]:
    from twelvecheck.parse.dockerfile import parse
    from twelvecheck.parse.words import split_words_at

    def digest(value: object) -> str:
        return hashlib.sha1(repr(value).encode("utf-8", "surrogatepass")).hexdigest()

    found = []
    for text in texts:
        found.append(digest(parse(text)))
        for line in text.split("\n")[:40]:
            found.extend(digest(split_words_at(line, escape)) for escape in ("\\", "`"))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", choices=("record", "compare"))
    parser.add_argument("file", type=Path)
    parser.add_argument("--mutations", type=int, default=6000)
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"no corpus at {CORPUS}", file=sys.stderr)
        return 2
    texts = inputs(args.mutations)
    found = results(texts)
    if args.mode == "record":
        args.file.write_text(json.dumps(found), encoding="utf-8")
        print(f"{len(texts)} inputs, {len(found)} results recorded")
        return 0
    before = json.loads(args.file.read_text(encoding="utf-8"))
    differing = [index for index, (old, new) in enumerate(zip(before, found)) if old != new]
    if len(before) != len(found) or differing:
        print(f"{len(differing)} of {len(found)} results differ (first at {differing[:5]}); "
              f"{len(before)} recorded, {len(found)} now")
        return 1
    print(f"{len(texts)} inputs, {len(found)} results: identical")
    return 0


if __name__ == "__main__":
    sys.exit(main())
