"""Layer throughput: twelvecheck's layer writer vs `tar | gzip -6` on the same tree, and its
unpacker (with the streaming header checks of layerstream.py) vs `tar -xzf` of the same layer.

Usage: python bench/layer_throughput.py DIR [LEVEL ...]
Prints MiB/s for each and the ratio; gzip -6 and tar -x are the practical limits (same zlib, no
Python).  Run it with PYTHONPATH pointing at another checkout to compare two versions.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tempfile
import time

from twelvecheck.build import diff
from twelvecheck.build.layer import write_layer
from twelvecheck.build.unpack import unpack_layer


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
    unpack(root, members, size_mib)


def unpack(root: str, members, size_mib: float, repeat: int = 3) -> None:
    """Median of ``repeat`` unpacks of the same gzip'd layer, ours and tar's, into fresh dirs."""
    work = tempfile.mkdtemp(prefix="bench-unpack-")
    try:
        layer = os.path.join(work, "layer.tar.gz")
        with open(layer, "wb") as out:
            write_layer(root, members, out, level=6)
        theirs, ours = [], []
        for attempt in range(repeat):
            target = os.path.join(work, f"tar-{attempt}")
            os.mkdir(target)
            started = time.perf_counter()
            subprocess.run(["tar", "-xzf", layer, "-C", target, "--same-owner", "--xattrs"], check=True)
            theirs.append(time.perf_counter() - started)
            target = os.path.join(work, f"ours-{attempt}")
            os.mkdir(target)
            started = time.perf_counter()
            with open(layer, "rb") as blob:
                unpack_layer(blob, target)
            ours.append(time.perf_counter() - started)
        theirs_time, ours_time = sorted(theirs)[repeat // 2], sorted(ours)[repeat // 2]
        print(f"tar -xzf             {size_mib / theirs_time:7.1f} MiB/s")
        print(f"twelvecheck unpack   {size_mib / ours_time:7.1f} MiB/s  ({theirs_time / ours_time:.2f}x tar -xzf)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
