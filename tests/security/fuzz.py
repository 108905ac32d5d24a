"""A mutation fuzzer over the corpus: mutated Dockerfiles, compose files, .dockerignore files and
env files go through the real engine in this process with every rule selected.

A run counts two kinds of failure: an *internal error* (an exception escaping the engine, which
the CLI turns into exit 2 "internal error") and a *rule crash* (a TC004 finding). Both are bugs.

    python tests/security/fuzz.py --minutes 10 [--seed N] [--kind dockerfile|compose|dockerignore]

prints what failed (the mutated input is saved under --save DIR to reproduce it). The suite runs a
short, time-capped version (tests/security/test_inputs_fuzz.py).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
KINDS = ("dockerfile", "compose", "dockerignore")
_CORPUS_DIRS = {"dockerfile": "dockerfiles", "compose": "compose", "dockerignore": "dockerignore"}
_FILE_NAMES = {"dockerfile": "Dockerfile", "compose": "compose.yaml", "dockerignore": ".dockerignore"}

SNIPPETS = (
    "FROM ", "RUN ", "COPY ", "ADD ", "ENV ", "ARG ", "USER ", "WORKDIR ", "EXPOSE ", "CMD ", "ENTRYPOINT ",
    "ONBUILD ", "SHELL ", "HEALTHCHECK --interval=", "STOPSIGNAL ", "LABEL ", "VOLUME ", "<<EOF\n", "EOF\n",
    "\\\n", "&& ", "| ", "$(", "${A:-", "}", "'", '"', '["a", ', "]", "--mount=type=cache,target=", "--chmod=",
    "--chown=", "--from=", "AS ", "# escape=`\n", "# syntax=", "# twelvecheck ignore=", "\n", " ", "\t", ":",
    "=", "-", "x", "0", "root", "65536", "1e309", "-1", "0x", "..", "/", "~", "*", "**", "!", "#",
    "[", "[^", "[z-a]", "[]", "a-", "\\", "?", "{", "(",
    "services:\n", "  ", "- ", "ports:\n", "env_file: ", "extends:\n", "include:\n", "<<: *a\n", "&a ", "*a",
    "build: ", "image: ", "volumes:\n", "healthcheck:\n", "deploy:\n", "mem_limit: ", "cpus: ",
)
CONTROL = ("\x1b[31m", "\x1b]8;;http://x\x07", "\x1b]0;title\x07", "\x07", "\x08", "\x0b", "\x0c", "\r", "\x7f",
           "\x85", "\x9b", "\u2028", "\u202e", "\ufeff", "\x00")
SLOW_SECONDS = 3.0
HUGE = ("9" * 30, "9" * 400, "1" + "0" * 5000, "99999999999999999999s", "-" + "9" * 40, "1e999999")


@dataclass
class Outcome:
    inputs: int = 0
    internal_errors: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, summary, text)
    crashes: list[tuple[str, str, str]] = field(default_factory=list)
    slow: list[tuple[str, str, str]] = field(default_factory=list)  # inputs over SLOW_SECONDS


def corpus_texts(kind: str, limit: int | None = None) -> list[str]:
    folder = CORPUS / _CORPUS_DIRS[kind]
    if not folder.is_dir():
        return []
    paths = sorted(p for p in folder.iterdir() if p.is_file())
    return [p.read_text(encoding="utf-8", errors="replace") for p in paths[:limit]]


def _nest(rng: random.Random) -> str:
    depth = rng.choice((50, 500, 3000, 20000))
    return rng.choice((
        lambda: "CMD " + "[" * depth + "\n",
        lambda: "RUN echo " + "${a:-" * depth + "x" + "}" * depth + "\n",
        lambda: "ENV A=" + "${a:+" * depth + "\n",
        lambda: "RUN " + "$(" * depth + "\n",
        lambda: "RUN " + "(" * depth + "true" + ")" * depth + "\n",
        lambda: "RUN " + "sh -c '" * min(depth, 200) + "\n",
        lambda: "x: " + "[" * depth + "\n",
        lambda: "x: " + "{a: " * depth + "\n",
        lambda: "  image: " + "${A:-" * depth + "x" + "}" * depth + "\n",
        lambda: "  " * min(depth, 2000) + "a:\n",
    ))()


def mutate(text: str, rng: random.Random) -> str:
    """One to six random edits: byte flips, line duplication/deletion/truncation, snippets,
    deep nesting, huge numbers, control characters."""
    lines = text.splitlines(keepends=True) or [""]
    for _ in range(rng.randint(1, 6)):
        at = rng.randrange(len(lines))
        line = lines[at]
        action = rng.randrange(10)
        if action == 0 and line:  # flip one character
            i = rng.randrange(len(line))
            lines[at] = line[:i] + chr(ord(line[i]) ^ (1 << rng.randrange(7))) + line[i + 1:]
        elif action == 1:
            lines.insert(at, rng.choice(lines) * rng.choice((1, 1, 2, 50)))
        elif action == 2 and len(lines) > 1:
            del lines[at]
        elif action == 3:
            lines[at] = line[:rng.randrange(len(line) + 1)]
        elif action == 4:
            i = rng.randrange(len(line) + 1)
            lines[at] = line[:i] + rng.choice(SNIPPETS) + line[i:]
        elif action == 5:
            lines.insert(at, _nest(rng))
        elif action == 6:
            numbers = list(re.finditer(r"\d+", line))
            if numbers:
                found = rng.choice(numbers)
                lines[at] = line[:found.start()] + rng.choice(HUGE) + line[found.end():]
            else:
                i = rng.randrange(len(line) + 1)
                lines[at] = line[:i] + rng.choice(HUGE) + line[i:]
        elif action == 7:
            i = rng.randrange(len(line) + 1)
            lines[at] = line[:i] + rng.choice(CONTROL) + line[i:]
        elif action == 8:  # truncate the file
            del lines[at + 1:]
            lines[at] = line[:rng.randrange(len(line) + 1)]
        else:
            lines.insert(at, "".join(rng.choice(SNIPPETS) for _ in range(rng.randint(1, 8))))
    return "".join(lines)


class Fuzzer:
    """Lints mutated texts in one temporary directory with one engine per kind."""

    def __init__(self, workdir: str):
        from twelvecheck.config import Config
        from twelvecheck.engine import Engine

        self.workdir = workdir
        # ShellCheck (SH100) is an external program with its own timeout: fuzzing it here would
        # spend the time budget in its process instead of in our code.
        config = Config(select=("all",), ignore=("SH100",))
        self.engines = {kind: Engine(config, frozenset({kind}), workdir) for kind in KINDS}
        env_texts = corpus_texts_env()
        with open(os.path.join(workdir, ".env"), "w", encoding="utf-8") as handle:
            handle.write(env_texts[0] if env_texts else "A=1\n")

    def lint(self, kind: str, text: str, outcome: Outcome) -> None:
        from twelvecheck.discover import Candidate

        path = os.path.join(self.workdir, _FILE_NAMES[kind])
        with open(path, "w", encoding="utf-8", errors="surrogatepass") as handle:
            handle.write(text)
        outcome.inputs += 1
        started = time.monotonic()
        try:
            findings, _ = self.engines[kind].lint_file(Candidate(path, kind), _FILE_NAMES[kind])
        except BaseException as error:  # noqa: BLE001 - counting is the point
            if isinstance(error, KeyboardInterrupt):
                raise
            where = traceback.extract_tb(error.__traceback__)[-1]
            summary = f"{type(error).__name__} at {os.path.basename(where.filename)}:{where.lineno}: {str(error)[:120]}"
            outcome.internal_errors.append((kind, summary, text))
            return
        took = time.monotonic() - started
        if took > SLOW_SECONDS:
            outcome.slow.append((kind, f"slow: {took:.1f} s", text))
        for finding in findings:
            if finding.rule == "TC004":
                outcome.crashes.append((kind, finding.message[:200], text))


def corpus_texts_env() -> list[str]:
    folder = CORPUS / "envfiles"
    return [p.read_text(encoding="utf-8", errors="replace") for p in sorted(folder.iterdir())] if folder.is_dir() else []


def run(seconds: float, seed: int, kinds: tuple[str, ...] = KINDS, limit: int | None = None) -> Outcome:
    """Fuzz for about ``seconds``; the same seed gives the same inputs."""
    import sys as _sys

    rng = random.Random(seed)
    texts = {kind: corpus_texts(kind, limit) for kind in kinds}
    texts = {kind: found for kind, found in texts.items() if found}
    outcome = Outcome()
    if not texts:
        return outcome
    old_limit = _sys.getrecursionlimit()
    deadline = time.monotonic() + seconds
    with tempfile.TemporaryDirectory(prefix="twelvecheck-fuzz-") as workdir:
        fuzzer = Fuzzer(workdir)
        while time.monotonic() < deadline:
            kind = rng.choice(sorted(texts))
            fuzzer.lint(kind, mutate(rng.choice(texts[kind]), rng), outcome)
            assert _sys.getrecursionlimit() == old_limit
    return outcome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--kind", choices=KINDS, action="append")
    parser.add_argument("--save", help="directory to save failing inputs in")
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**32)
    started = time.monotonic()
    outcome = run(args.minutes * 60, seed, tuple(args.kind or KINDS))
    elapsed = (time.monotonic() - started) / 60
    failures = outcome.internal_errors + outcome.crashes + outcome.slow
    seen: dict[str, int] = {}
    for index, (kind, summary, text) in enumerate(failures):
        seen[summary] = seen.get(summary, 0) + 1
        if args.save and seen[summary] == 1:
            os.makedirs(args.save, exist_ok=True)
            Path(args.save, f"{index:05d}-{kind}.txt").write_text(text, encoding="utf-8", errors="surrogatepass")
    for summary, count in sorted(seen.items(), key=lambda item: -item[1]):
        print(f"{count:6d}  {summary}")
    print(f"seed {seed}: {outcome.inputs} inputs in {elapsed:.1f} min, "
          f"{len(outcome.internal_errors)} internal errors, {len(outcome.crashes)} rule crashes (TC004), {len(outcome.slow)} slow inputs")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
