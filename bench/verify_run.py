"""The whole ``verify --run`` of a small image, and what the run's probes add.

Usage: python bench/verify_run.py BUSYBOX_OCI_DIR

Builds (once, cached) a small busybox image whose CMD starts ``httpd`` on its EXPOSEd port and
stops on SIGTERM, then measures in fresh processes, median of 3:

* ``twelvecheck verify`` (lint + cached build + image scan): the peer;
* ``twelvecheck verify --run``: goal at most 15 s in all;
* the image's own time, start to exit after SIGTERM, from the run's timeline in the JSON report;
* what the run adds beyond the image's own time (unpacking, overlay, sandbox start, the PORT
  probe run, recording, cleanup): (verify --run - verify) - image time, goal at most 2 s.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

DOCKERFILE = """FROM busybox
EXPOSE 8080
CMD ["sh", "-c", "trap 'exit 0' TERM; httpd -p 8080; while :; do sleep 0.1; done"]
"""


def timed(argv: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run(argv, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1):
        sys.exit(f"{' '.join(argv)} failed ({result.returncode}): {result.stderr[-2000:]}")
    return elapsed, result.stdout


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    base = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory(prefix="bench-run-") as scratch:
        context = os.path.join(scratch, "context")
        os.mkdir(context)
        with open(os.path.join(context, "Dockerfile"), "w") as handle:
            handle.write(DOCKERFILE)
        common = [sys.executable, "-m", "twelvecheck", "verify", "--base", f"busybox=oci:{base}",
                  "--cache-dir", os.path.join(scratch, "cache"), "--format", "json", context]
        timed(common)  # fills the build cache
        plain, with_run, own = [], [], []
        for _ in range(3):
            plain.append(timed(common)[0])
            seconds, output = timed(common + ["--run"])
            with_run.append(seconds)
            own.append(json.loads(output)["run"]["timeline"][-1]["seconds"])
    verify_s, run_s, own_s = (statistics.median(values) for values in (plain, with_run, own))
    added = run_s - verify_s - own_s
    print(f"verify (peer)            {verify_s:6.2f} s")
    print(f"verify --run             {run_s:6.2f} s   ratio {run_s / verify_s:.2f}x   goal <= 15 s: "
          f"{'ok' if run_s <= 15 else 'MISSED'}")
    print(f"image start..exit        {own_s:6.2f} s   (from the run's timeline)")
    print(f"added by the run/probes  {added:6.2f} s   goal <= 2 s: {'ok' if added <= 2 else 'MISSED'}")


if __name__ == "__main__":
    main()
