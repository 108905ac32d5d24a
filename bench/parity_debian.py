"""Cold builds of the Debian parity suite (tests/build/test_parity_debian.py) with twelvecheck and
BuildKit, side by side, and whether each result is the same.

Usage (as root): python bench/parity_debian.py [CASE ...]

The base is the tests' cached Debian layout (tests/debian_base.py: made by mmdebstrap on first use,
about 80 s), loaded into a private dockerd (docker.io 20.10, stopped by its PID) before timing, so
a cold build is "no cache, base present".  BuildKit's time is `docker build --network host` up to
the image in its store; twelvecheck's is `build()` into a fresh cache directory (it unpacks the
base's 165 MB for every stage it runs a step in).  RUN steps reach the network (apt-get).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests" / "build"), str(ROOT / "tests")]

import debian_base  # noqa: E402
from buildkit import LayerFacts, compare_with_buildkit, start_dockerd, write_case  # noqa: E402
from test_parity_debian import BASE, CASES, VOLATILE  # noqa: E402


def main(names: list[str]) -> int:
    layout = debian_base.make_debian_base()
    with tempfile.TemporaryDirectory(prefix="parity-bench-") as scratch:
        work = Path(scratch)
        daemon = start_dockerd(work / "dockerd")
        if daemon is None:
            print("dockerd did not start; is docker.io installed and are we root?")
            return 1
        try:
            daemon.docker("load", "-i", str(debian_base.docker_archive(layout, f"localhost/{BASE}")))
            daemon.docker("tag", f"localhost/{BASE}", BASE)
            facts = LayerFacts()
            total_theirs = total_ours = 0.0
            print(f"{'case':<20} {'BuildKit s':>10} {'ours s':>8} {'ours/BK':>8}  same result")
            for name in names or sorted(CASES):
                dockerfile, files = CASES[name]
                case_dir = work / name
                case_dir.mkdir()
                context = write_case(case_dir / "ctx", dockerfile, files)
                compared = compare_with_buildkit(daemon, context, {BASE: f"oci:{layout}:latest"}, facts, case_dir,
                                                 cache_dir=case_dir / "cache", network="host")
                same = not compared.differences(volatile=VOLATILE) and compared.ours_config == compared.theirs_config
                total_theirs += compared.buildkit_seconds
                total_ours += compared.ours_seconds
                print(f"{name:<20} {compared.buildkit_seconds:>10.2f} {compared.ours_seconds:>8.2f} "
                      f"{compared.ours_seconds / compared.buildkit_seconds:>8.2f}  {'yes' if same else 'NO'}")
            print(f"{'total':<20} {total_theirs:>10.2f} {total_ours:>8.2f} {total_ours / total_theirs:>8.2f}")
        finally:
            daemon.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
