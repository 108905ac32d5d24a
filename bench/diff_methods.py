"""Recording a step with an overlayfs upper directory vs snapshot-and-compare, on a large tree.

Usage (as root): python bench/diff_methods.py [DIRS] [FILES_PER_DIR] [REPEAT]

A rootfs of DIRS x FILES_PER_DIR small files is made once.  Each method then records the same
step on it, layer written (to nowhere) included: "small change" writes one file next to the big
tree, "rewrite 10%" appends to every tenth file.  Only the recording is timed (snapshot: walk
before and after and compare; overlay: mount, diff the upper directory, merge it back), not the
RUN sandbox or the unpacking of base layers, which cost the same for both.
"""

from __future__ import annotations

import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

from twelvecheck.build import changes
from twelvecheck.build.layer import write_layer


class Discard(io.RawIOBase):
    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        return len(data)


def make_tree(root: Path, dirs: int, files: int) -> None:
    for directory in range(dirs):
        (root / "big" / str(directory)).mkdir(parents=True)
        for name in range(files):
            (root / "big" / str(directory) / str(name)).write_text(f"{directory}-{name}\n")


def small_change(root: str) -> None:
    Path(root, "big", "marker").write_text(str(time.time_ns()))


def rewrite_tenth(root: str) -> None:
    for directory in Path(root, "big").iterdir():
        if directory.is_dir():
            for path in directory.glob("*0"):
                with open(path, "a") as handle:
                    handle.write("more\n")


STEPS: dict[str, Callable[[str], None]] = {"small change": small_change, "rewrite 10%": rewrite_tenth}


def record_once(method: str, rootfs: str, work: str, step: Callable[[str], None]) -> float:
    tracker = changes.tracker(method, rootfs, work)
    started = time.perf_counter()
    tracker.refresh()  # snapshot: the walk before the step; overlay: nothing
    tracker.record(step, lambda tree, diff: write_layer(tree, diff.members, Discard()))
    return time.perf_counter() - started


def main() -> None:
    dirs, files, repeat = (int(value) for value in (sys.argv[1:] + ["200", "150", "5"][len(sys.argv) - 1:])[:3])
    work = tempfile.mkdtemp(prefix="bench-diff-")
    try:
        rootfs = os.path.join(work, "rootfs")
        make_tree(Path(rootfs), dirs, files)
        reason = changes.overlay.unavailable_reason(work)
        if reason:
            sys.exit(f"overlay unavailable: {reason}")
        print(f"tree: {dirs * files} files in {dirs} directories; median of {repeat}; "
              f"load average {os.getloadavg()[0]:.1f}")
        print(f"{'step':<14}{'overlay':>10}{'snapshot':>10}{'snapshot/overlay':>18}")
        for label, step in STEPS.items():
            times = {method: statistics.median(record_once(method, rootfs, work, step) for _ in range(repeat))
                     for method in changes.METHODS}
            print(f"{label:<14}{times['overlay']:>10.3f}{times['snapshot']:>10.3f}"
                  f"{times['snapshot'] / times['overlay']:>17.2f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
