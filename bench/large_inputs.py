"""Large Dockerfiles lint in linear time: a 1M-line file and a 50k-stage file under 10 s each.

    python bench/large_inputs.py                 # the two headline files, then each kind at 2 sizes
    python bench/large_inputs.py --kinds USER ENV --lines 20000 40000

For the headline files it prints the wall time of ``twelvecheck lint`` (a subprocess, as a user
runs it). For each instruction kind it lints a file of N and of 2N such lines in this process and
prints the ratio of the two times: about 2 is linear, about 4 quadratic. With ``--rules`` the
slowest rules of the larger file are listed, to find which one is not linear.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LINES = {
    "USER": lambda i: f"USER user{i % 7}",
    "ENV": lambda i: f"ENV VAR{i}=value{i} PATH=/opt/{i}:$PATH",
    "ARG": lambda i: f"ARG A{i}=${{A{max(i - 1, 0)}}}",
    "RUN": lambda i: f"RUN apt-get update && apt-get install -y pkg{i} && cd /tmp/{i} && make",
    "COPY": lambda i: f"COPY --chown=1000:1000 src{i} /app/{i}/",
    "ADD": lambda i: f"ADD https://example.com/{i}.tgz /opt/",
    "WORKDIR": lambda i: f"WORKDIR /srv/{i}",
    "LABEL": lambda i: f'LABEL key{i}="value {i}"',
    "EXPOSE": lambda i: f"EXPOSE {1024 + i % 60000}",
    "VOLUME": lambda i: f"VOLUME /data/{i}",
    "CMD": lambda i: f'CMD ["app", "--n", "{i}"]',
    "ENTRYPOINT": lambda i: f'ENTRYPOINT ["app{i}"]',
    "HEALTHCHECK": lambda i: f"HEALTHCHECK --interval={i % 50 + 1}s CMD curl -f http://localhost/ || exit 1",
    "SHELL": lambda i: 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]',
    "STOPSIGNAL": lambda i: "STOPSIGNAL SIGTERM",
    "ONBUILD": lambda i: f"ONBUILD RUN echo {i}",
    "COMMENT": lambda i: f"# comment {i}",
    "CONTINUATION": lambda i: f"    && echo {i} \\",
    "FROM": lambda i: f"FROM alpine:3.20 AS s{i}",
    "FROM-CHAIN": lambda i: f"FROM s{i - 1} AS s{i}" if i else "FROM alpine:3.20 AS s0",
    "COPY-FROM": lambda i: f"FROM alpine:3.20 AS s{i}\nCOPY --from=s{max(i - 1, 0)} /a /a",
}


def dockerfile(kind: str, count: int) -> str:
    head = "FROM debian:12\n" if not kind.startswith(("FROM", "COPY-FROM")) else ""
    if kind == "CONTINUATION":
        return head + "RUN true \\\n" + "\n".join(LINES[kind](i) for i in range(count)) + "\n    && true\n"
    return head + "\n".join(LINES[kind](i) for i in range(count)) + "\nUSER app\n"


def lint_in_process(text: str, rules: bool = False) -> tuple[float, list[tuple[float, str]]]:
    from twelvecheck.config import Config
    from twelvecheck.engine import Engine

    engine = Engine(Config(select=("all",), ignore=("SH100",)))
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "Dockerfile")
        Path(path).write_text(text, encoding="utf-8")
        from twelvecheck.discover import Candidate

        start = time.perf_counter()
        ctx = engine.context(Candidate(path, "dockerfile", root=directory), "Dockerfile")
        per_rule = []
        for active in engine.active:
            if active.cls.kind not in (ctx.kind, "any"):
                continue
            began = time.perf_counter()
            list(engine._run(active, ctx))
            per_rule.append((time.perf_counter() - began, active.cls.code))
        return time.perf_counter() - start, sorted(per_rule, reverse=True)[:5] if rules else []


def lint_cli(text: str) -> tuple[float, float, int]:
    """Wall and CPU seconds of ``twelvecheck lint`` on the file (its size limit raised to fit
    it), and the findings. On a shared machine the CPU time is the comparable number."""
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "Dockerfile")
        Path(path).write_text(text, encoding="utf-8")
        config = os.path.join(directory, ".twelvecheck.yaml")
        Path(config).write_text(f"max-file-size: {len(text.encode()) + 1}\n", encoding="utf-8")
        start = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "twelvecheck", "lint", "--fail-on", "never", "--format",
                                    "json", "--config", config, "--ignore", "SH100", "-o", path + ".json", path])
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        found = len(json.loads(Path(path + ".json").read_text())["findings"]) if status == 0 else -1
        return seconds, usage.ru_utime + usage.ru_stime, found


def mixed(count: int) -> str:
    """One stage of ``count`` lines cycling through every single-line instruction kind."""
    kinds = [k for k in sorted(LINES) if not k.startswith(("FROM", "COPY-FROM", "CONTINUATION"))]
    return "FROM debian:12\n" + "\n".join(LINES[kinds[i % len(kinds)]](i) for i in range(count - 1)) + "\n"


def continued(count: int) -> str:
    return "FROM debian:12\nRUN true \\\n" + "".join(f"  && echo {i} \\\n" for i in range(count - 3)) + "  && true\n"


def comments(count: int) -> str:
    return "FROM debian:12\n" + "".join(f"# note {i}\n" for i in range(count - 2)) + "USER app\n"


def stages(count: int) -> str:
    """``count`` stages, each FROM the one before and copying from the one before that."""
    parts = ["FROM alpine:3.20 AS s0\nRUN echo 0"]
    for i in range(1, count):
        parts.append(f"FROM s{i - 1} AS s{i}\nCOPY --from=s{max(i - 2, 0)} /a /a{i}")
    return "\n".join(parts) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kinds", nargs="*", default=sorted(LINES))
    parser.add_argument("--lines", nargs=2, type=int, default=(5000, 10000))
    parser.add_argument("--rules", action="store_true", help="list the slowest rules of the larger file")
    parser.add_argument("--skip-headline", action="store_true")
    parser.add_argument("--million", type=int, default=1_000_000, help="lines of the headline file")
    parser.add_argument("--stages", type=int, default=50_000, help="stages of the headline file")
    args = parser.parse_args()
    if not args.skip_headline:
        million = mixed(args.million)
        for name, text in ((f"{args.million:,}-line Dockerfile of every instruction kind", million),
                           (f"{args.million:,}-line Dockerfile, one RUN continued over every line", continued(args.million)),
                           (f"{args.million:,}-line Dockerfile, comments", comments(args.million)),
                           (f"{args.stages:,}-stage Dockerfile", stages(args.stages))):
            wall, cpu, found = lint_cli(text)
            print(f"{name} ({len(text) / 2**20:.1f} MiB): {wall:.1f} s wall, {cpu:.1f} s CPU, {found} findings (goal: < 10 s)")
    small, large = args.lines
    print(f"{'kind':<14} {small:>8} lines {large:>8} lines  ratio (2 = linear)")
    for kind in args.kinds:
        first, _ = lint_in_process(dockerfile(kind, small))
        second, slowest = lint_in_process(dockerfile(kind, large), args.rules)
        ratio = second / first if first else float("inf")
        flag = "  <-- not linear" if ratio > 3 else ""
        print(f"{kind:<14} {first:>12.2f} s {second:>12.2f} s  {ratio:5.1f}{flag}")
        for seconds, code in slowest:
            print(f"{'':<16}{code} {seconds:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
