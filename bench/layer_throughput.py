"""Layer throughput: twelvecheck's layer writer vs `tar | gzip -6` on the same tree.

Usage: python bench/layer_throughput.py DIR [LEVEL ...]
Prints MiB/s for each and the ratio; gzip -6 is the practical limit (same zlib, no Python).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time

from twelvecheck.build import diff
from twelvecheck.build.layer import write_layer


class Discard(io.RawIOBase):
    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        return len(data)


def total_bytes(root: str) -> int:
    return sum(os.lstat(os.path.join(parent, name)).st_size
               for parent, _, names in os.walk(root) for name in names)


def main() -> None:
    root, levels = sys.argv[1], [int(level) for level in sys.argv[2:]] or [6, 1]
    size_mib = total_bytes(root) / 2**20
    members = diff.compare({}, diff.snapshot(root)).members
    started = time.perf_counter()
    subprocess.run(f"tar -C {root} -cf - . | gzip -6 > /dev/null", shell=True, check=True)
    baseline = time.perf_counter() - started
    print(f"{size_mib:.0f} MiB, {len(members)} entries")
    print(f"tar | gzip -6        {size_mib / baseline:7.1f} MiB/s")
    for level in levels:
        started = time.perf_counter()
        write_layer(root, members, Discard(), level=level)
        elapsed = time.perf_counter() - started
        print(f"twelvecheck level {level}  {size_mib / elapsed:7.1f} MiB/s  ({baseline / elapsed:.2f}x gzip -6)")


if __name__ == "__main__":
    main()
