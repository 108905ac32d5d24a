"""verify's cost over a cached build, and the layer scan's memory as the image grows.

Usage: python bench/verify.py BUSYBOX_OCI_DIR [MIB ...]      (default sizes: 200 1024)

For each size, builds (once, FROM the busybox base) an image whose RUN writes that many MiB in
files of 4 MiB (half zeros, half random bytes, like real layers mixing text and binaries), then
measures in fresh processes, median of 3:

* ``twelvecheck build`` with everything cached (the baseline: nothing runs, nothing is written);
* ``twelvecheck verify`` of the same cached build (lint + cached build + the layer scan + verdicts
  + image rules + ledger): the goal is at most 1 s more than the build for 200 MiB;
* ``twelvecheck lint`` of the Dockerfile: verify lints too, so verify - build - lint is what
  judging the image costs;
* the first scan of the build (``inspect.view`` with no layer index yet: every layer inflated),
  in seconds over the cached build, and its process's peak RSS: the goal is a flat peak,
  independent of the image's size (file contents are streamed, never kept).

The peer is the cached build itself: ratios are verify / build, and peak memory per size.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile

import statistics
import subprocess
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Run:
    seconds: float
    cpu: float  # user + system seconds of the child: steadier than wall time on a busy machine
    peak_mib: float
    returncode: int


def measure(command: list[str]) -> Run:
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    return Run(time.perf_counter() - start, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024,
               os.waitstatus_to_exitcode(status))


def median_run(command: list[str], repeat: int) -> Run:
    runs = [measure(command) for _ in range(repeat)]
    return Run(statistics.median(r.seconds for r in runs), statistics.median(r.cpu for r in runs),
               max(r.peak_mib for r in runs), max(r.returncode for r in runs))

DOCKERFILE = """FROM busybox
RUN i=0; while [ $i -lt {files} ]; do \\
      if [ $((i % 2)) = 0 ]; then src=/dev/zero; else src=/dev/urandom; fi; \\
      mkdir -p /data/d$((i % 16)); dd if=$src of=/data/d$((i % 16))/f$i bs=1048576 count=4 2>/dev/null; \\
      i=$((i + 1)); done
CMD ["/bin/sh"]
"""

SCAN = """
import resource, sys
from twelvecheck.build import builder, inspect
image = builder.build(sys.argv[1], bases={"busybox": "oci:" + sys.argv[2]}, cache_dir=sys.argv[3])
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
view = inspect.view(image)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(len(view.paths), before, after)
"""


def main(busybox: str, sizes: list[int]) -> None:
    python = sys.executable
    # BENCH_VERIFY_CACHE reuses a cache from an earlier run (the 1 GiB build takes minutes).
    cache = os.environ.get("BENCH_VERIFY_CACHE") or tempfile.mkdtemp(prefix="bench-verify-cache-")
    print("seconds as wall / CPU (user+system) of the process")
    print(f"{'MiB':>6} {'build':>11} {'lint':>11} {'verify':>11} {'added':>11} {'first scan':>11} {'scan peak MiB':>14}")
    for mib in sizes:
        context = tempfile.mkdtemp(prefix=f"bench-verify-{mib}-")
        with open(os.path.join(context, "Dockerfile"), "w", encoding="utf-8") as handle:
            handle.write(DOCKERFILE.format(files=max(1, mib // 4)))
        base = ["--base", f"busybox=oci:{busybox}", "--cache-dir", cache]
        first = median_run([python, "-m", "twelvecheck", "build", context, *base], 1)  # fills the cache
        if first.returncode != 0:
            raise SystemExit(f"the {mib} MiB build failed")
        build = median_run([python, "-m", "twelvecheck", "build", context, *base], 3)
        verify = median_run([python, "-m", "twelvecheck", "verify", context, *base, "--format", "json",
                             "--fail-on", "never"], 3)
        lint = median_run([python, "-m", "twelvecheck", "lint", os.path.join(context, "Dockerfile")], 3)
        index = os.path.join(cache, "layer-index")
        shutil.rmtree(index, ignore_errors=True)  # the first scan of a build inflates every layer
        scan = median_run([python, "-c", SCAN, context, busybox, cache], 1)
        def pair(wall: float, cpu: float) -> str:
            return f"{wall:5.2f}/{cpu:5.2f}"

        print(f"{mib:>6} {pair(build.seconds, build.cpu):>11} {pair(lint.seconds, lint.cpu):>11} "
              f"{pair(verify.seconds, verify.cpu):>11} "
              f"{pair(verify.seconds - build.seconds, verify.cpu - build.cpu):>11} "
              f"{pair(scan.seconds - build.seconds, scan.cpu - build.cpu):>11} {scan.peak_mib:>14.1f}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    main(sys.argv[1], [int(size) for size in sys.argv[2:]] or [200, 1024])
