"""twelvecheck lint vs hadolint, side by side on the same files: wall time, peak memory, ratio.

    python bench/lint_vs_hadolint.py [--repeat N]

Three cases: the whole corpus in one invocation each (a CLI audit); one file (a pre-commit hook
run on a commit touching one Dockerfile); twenty files in one invocation (pre-commit passes the
staged files together). Each repeated, median reported. ShellCheck: hadolint runs it in-process
on every RUN; twelvecheck's ShellCheck rule (SH100) starts the binary once per batch and caches
results by content, so the default (cached) run is what a hook pays after the first commit;
``--shellcheck`` times twelvecheck with SH100 on and its cache off, every run paying the process.
"""

from __future__ import annotations

import argparse
import os
import sys

from _measure import CORPUS_DOCKERFILES, Run, median_run, tool

SINGLE = "docker-library__python__3.13__bookworm__Dockerfile"


def row(label: str, ours: Run, theirs: Run) -> str:
    return (f"{label:<28} twelvecheck {ours.seconds * 1000:8.1f} ms {ours.peak_mib:7.1f} MiB | "
            f"hadolint {theirs.seconds * 1000:8.1f} ms {theirs.peak_mib:7.1f} MiB | "
            f"ratio (twelvecheck/hadolint) {ours.seconds / theirs.seconds:5.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--shellcheck", action="store_true", help="run twelvecheck's ShellCheck rule (SH100) too")
    args = parser.parse_args()
    if not CORPUS_DOCKERFILES:
        sys.exit("../shared/corpus is not beside this checkout")
    ours, hadolint = tool("twelvecheck"), tool("hadolint")
    extra = [] if args.shellcheck else ["--ignore", "shellcheck"]
    # Cold runs, as hadolint's are: twelvecheck would otherwise reuse ShellCheck results it cached.
    os.environ["TWELVECHECK_NO_CACHE"] = "1"
    files = CORPUS_DOCKERFILES
    single = [f for f in files if f.endswith(SINGLE)] or files[:1]
    print(f"{len(files)} corpus Dockerfiles; single-file case: {single[0].rsplit('/', 1)[-1]}")
    print(row("whole corpus, 1 invocation",
              median_run([ours, "lint", "--format", "json", "--fail-on", "never", *extra, *files], max(1, args.repeat // 2)),
              median_run([hadolint, "--no-fail", "-f", "json", *files], max(1, args.repeat // 2))))
    print(row("single file (pre-commit)",
              median_run([ours, "lint", "--fail-on", "never", *extra, *single], args.repeat),
              median_run([hadolint, "--no-fail", *single], args.repeat)))
    twenty = files[:: max(1, len(files) // 20)][:20]
    print(row("20 files (pre-commit)",
              median_run([ours, "lint", "--fail-on", "never", *extra, *twenty], args.repeat),
              median_run([hadolint, "--no-fail", *twenty], args.repeat)))


if __name__ == "__main__":
    main()
