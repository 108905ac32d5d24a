"""twelvecheck lint vs hadolint, side by side on the same files: wall time, peak memory, ratio.

    python bench/lint_vs_hadolint.py [--repeat N] [--shellcheck] [--release]

Three cases: the whole corpus in one invocation each (a CLI audit); one file (a pre-commit hook
run on a commit touching one Dockerfile); twenty files in one invocation (pre-commit passes the
staged files together). The two tools run in alternation, one pair after another, so a busy
machine slows both alike; the ratio is the median of the pairs' ratios.

ShellCheck: hadolint runs it in-process on every RUN; twelvecheck's ShellCheck rule (SH100)
starts the binary once per batch and caches results by content. By default SH100 is off
(``--ignore shellcheck``); ``--shellcheck`` turns it on with its cache off, so every run pays
the process.

``--release`` also times a regular (non-editable) install in a virtualenv made for the purpose,
which is what pre-commit installs for a hook; the editable install of a checkout pays ~5 ms more
for its import hook.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from _measure import CORPUS_DOCKERFILES, Run, measure, tool

SINGLE = "docker-library__python__3.13__bookworm__Dockerfile"
CHECKOUT = Path(__file__).resolve().parents[1]


def paired(ours: list[str], theirs: list[str], repeat: int) -> tuple[Run, Run, float, float]:
    """Median runs of each command, the median ratio of pairs run back to back (wall time) and
    the ratio of the least CPU time each took (what the work costs, whatever else runs)."""
    measure(ours), measure(theirs)  # warm-up: bytecode, caches, page cache
    pairs = [(measure(ours), measure(theirs)) for _ in range(repeat)]
    ratio = statistics.median(a.seconds / b.seconds for a, b in pairs)
    cpu_ratio = min(a.cpu_seconds for a, _ in pairs) / min(b.cpu_seconds for _, b in pairs)

    def median(runs: list[Run]) -> Run:
        return Run(statistics.median(r.seconds for r in runs), max(r.peak_mib for r in runs), runs[-1].returncode,
                   min(r.cpu_seconds for r in runs))

    return median([a for a, _ in pairs]), median([b for _, b in pairs]), ratio, cpu_ratio


def row(label: str, result: tuple[Run, Run, float, float]) -> str:
    ours, theirs, ratio, cpu_ratio = result
    return (f"{label:<34} twelvecheck {ours.seconds * 1000:7.1f} ms (cpu {ours.cpu_seconds * 1000:6.1f}) "
            f"{ours.peak_mib:5.1f} MiB | hadolint {theirs.seconds * 1000:7.1f} ms (cpu {theirs.cpu_seconds * 1000:6.1f}) "
            f"{theirs.peak_mib:5.1f} MiB | ratio wall {ratio:4.2f} cpu {cpu_ratio:4.2f}")


def release_install() -> str:
    """twelvecheck installed from this checkout as a wheel would be, in a throwaway virtualenv."""
    venv = Path(tempfile.mkdtemp(prefix="twelvecheck-bench-"))
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", str(CHECKOUT)], check=True)
    return str(venv / "bin" / "twelvecheck")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--shellcheck", action="store_true", help="run twelvecheck's ShellCheck rule (SH100) too, uncached")
    parser.add_argument("--release", action="store_true", help="also time a regular (non-editable) install")
    args = parser.parse_args()
    if not CORPUS_DOCKERFILES:
        sys.exit("../shared/corpus is not beside this checkout")
    hadolint = tool("hadolint")
    installs = [("", tool("twelvecheck"))] + ([("release: ", release_install())] if args.release else [])
    extra = [] if args.shellcheck else ["--ignore", "shellcheck"]
    if args.shellcheck:
        os.environ["TWELVECHECK_NO_CACHE"] = "1"  # cold ShellCheck runs, as hadolint's are
    files = CORPUS_DOCKERFILES
    single = [f for f in files if f.endswith(SINGLE)] or files[:1]
    twenty = files[:: max(1, len(files) // 20)][:20]
    print(f"{len(files)} corpus Dockerfiles; single-file case: {single[0].rsplit('/', 1)[-1]}; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    for label, ours in installs:
        print(row(f"{label}single file (pre-commit)",
                  paired([ours, "lint", "--fail-on", "never", *extra, *single], [hadolint, "--no-fail", *single], args.repeat)))
        print(row(f"{label}20 files (pre-commit)",
                  paired([ours, "lint", "--fail-on", "never", *extra, *twenty], [hadolint, "--no-fail", *twenty], args.repeat)))
    ours = installs[0][1]
    print(row("whole corpus, 1 invocation",
              paired([ours, "lint", "--format", "json", "--fail-on", "never", *extra, *files],
                     [hadolint, "--no-fail", "-f", "json", *files], max(1, args.repeat // 4))))


if __name__ == "__main__":
    main()
