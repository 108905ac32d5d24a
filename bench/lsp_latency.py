"""``twelvecheck lsp`` latency, through a real LSP client over stdio (pygls's).

    python bench/lsp_latency.py [--edits 50] [--file NAME]

1. Start: from launching the server process to the first diagnostics of a Dockerfile opened
   right after ``initialize`` (goal: at most 1.5 s).
2. Typing: 50 edits of a 200-line corpus Dockerfile, one character each at a different place
   (a RUN line, a comment, an ENV value), each sent as an editor sends it (an incremental
   ``didChange``) once the previous one's diagnostics arrived; the time from sending it to the
   diagnostics for that version, with the server's default debounce included (goal: p95 at
   most 100 ms). The ShellCheck pass (SH100) publishes a second time after that; its latency
   is reported apart.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(CHECKOUT / "tests" / "lsp"))

from _measure import SHARED  # noqa: E402
from lsp_client import Session  # noqa: E402

DEFAULT_FILE = "docker-library__php__8.5__alpine3.23__zts__Dockerfile"  # 210 lines


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a running process (Linux /proc), to tell work from waiting
    on a busy machine."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def start_to_first_diagnostics(root: Path, text: str) -> tuple[float, float]:
    started = time.perf_counter()
    async with Session(root) as session:
        session.open("Dockerfile", text)
        await session.diagnostics("Dockerfile", version=1)
        return time.perf_counter() - started, _cpu_seconds(session.client._server.pid)


def _edit_points(text: str, count: int) -> list[tuple[int, int]]:
    """Places to type at: after the first word of lines with some text, spread over the file."""
    lines = text.splitlines()
    candidates = [(number, line.index(" ") + 1) for number, line in enumerate(lines)
                  if " " in line.strip() and not line.rstrip().endswith("\\") and len(line) > 8]
    step = max(1, len(candidates) // count)
    return [candidates[(index * step) % len(candidates)] for index in range(count)]


async def typing(root: Path, text: str, edits: int) -> tuple[list[float], list[float]]:
    first_pass, shellcheck_pass = [], []
    async with Session(root) as session:
        session.open("Dockerfile", text)
        await session.diagnostics("Dockerfile", version=1)
        await asyncio.sleep(1.0)  # let the first ShellCheck pass finish
        for line, column in _edit_points(text, edits):
            published = session.count("Dockerfile")
            sent = time.perf_counter()
            version = session.edit("Dockerfile", line, column, "x")
            await session.diagnostics("Dockerfile", version=version, after=published)
            first_pass.append(time.perf_counter() - sent)
            try:
                await session.diagnostics("Dockerfile", version=version, after=published + 1, timeout=3)
                shellcheck_pass.append(time.perf_counter() - sent)
            except AssertionError:
                pass  # nothing for ShellCheck to add: no second publication
    return first_pass, shellcheck_pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--edits", type=int, default=50)
    parser.add_argument("--file", default=DEFAULT_FILE)
    args = parser.parse_args()
    source = SHARED / "corpus" / "dockerfiles" / args.file
    if not source.is_file():
        sys.exit(f"{source} is not there (../shared/corpus beside this checkout)")
    text = source.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        runs = [asyncio.run(start_to_first_diagnostics(root, text)) for _ in range(3)]
        starts, cpu = [wall for wall, _ in runs], [seconds for _, seconds in runs]
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        print(f"start to first diagnostics ({len(text.splitlines())}-line Dockerfile): "
              f"median {statistics.median(starts) * 1000:.0f} ms, worst {max(starts) * 1000:.0f} ms (goal <= 1500 ms); "
              f"server CPU time median {statistics.median(cpu) * 1000:.0f} ms")
        first, shellcheck = asyncio.run(typing(root, text, args.edits))
        print(f"diagnostics after an edit, {len(first)} edits: median {statistics.median(first) * 1000:.0f} ms, "
              f"p95 {percentile(first, 0.95) * 1000:.0f} ms, max {max(first) * 1000:.0f} ms (goal p95 <= 100 ms)")
        if shellcheck:
            print(f"ShellCheck pass after an edit ({len(shellcheck)} of {len(first)} edits): median "
                  f"{statistics.median(shellcheck) * 1000:.0f} ms, p95 {percentile(shellcheck, 0.95) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
