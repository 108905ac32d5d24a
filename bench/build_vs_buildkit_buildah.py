"""Cold builds of a small Dockerfile suite with twelvecheck, BuildKit and buildah, side by side.

Usage (as root): python bench/build_vs_buildkit_buildah.py [REPEAT]

Every Dockerfile starts FROM the busybox base of ../shared/tools/make-busybox-base.sh, loaded into
each builder before timing (docker load of its .docker.tar, buildah pull of its OCI layout), so a
cold build is "no cache, base present".  twelvecheck's time includes writing an OCI layout;
BuildKit's includes committing to dockerd's image store; buildah's (vfs storage, runc, as
../shared/notes/real-tools.md says works here) includes its commit.  Then the no-change rebuild
with a warm cache (twelvecheck's target: under 0.5 s).  A builder that is not installed is skipped
with the reason.  BuildKit runs in a private dockerd on a unix socket in a temp dir, stopped by
its own PID.
"""

from __future__ import annotations

import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

BUSYBOX_SCRIPT = Path(__file__).resolve().parents[1].parent / "shared" / "tools" / "make-busybox-base.sh"
DOCKER = "/usr/bin/docker"  # Debian's 20.10 client with built-in BuildKit
BUILDAH_RUN = ["--isolation", "oci", "--runtime", "runc", "--cgroup-manager", "cgroupfs",
               "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024", "--network", "none"]

SUITE = {
    "copy-run": ("ARG BASE\nFROM ${BASE}\nCOPY app/ /app/\nRUN cat /app/*.txt > /app/all && rm /app/one.txt\n"
                 "WORKDIR /app\nCMD [\"cat\", \"all\"]\n"),
    "multi-stage": ("ARG BASE\nFROM ${BASE} AS build\nRUN mkdir -p /out && for i in $(seq 1 200); do echo $i > /out/f$i; done\n"
                    "FROM ${BASE}\nCOPY --from=build /out /srv/out\nCOPY --chown=65534:65534 --chmod=640 app/one.txt /etc/app.conf\n"
                    "USER nobody\nENV MODE=prod\n"),
    "many-steps": "ARG BASE\nFROM ${BASE}\n" + "".join(f"RUN echo step{i} > /step{i}\nENV STEP={i}\n" for i in range(8)),
}


def write_suite(root: Path) -> dict[str, Path]:
    contexts = {}
    for name, dockerfile in SUITE.items():
        context = root / name
        (context / "app").mkdir(parents=True)
        (context / "Dockerfile").write_text(dockerfile)
        for index, word in enumerate(("one", "two", "three")):
            (context / "app" / f"{word}.txt").write_text(f"{word}\n" * (index + 1))
        contexts[name] = context
    return contexts


def timed(argv: list[str], env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    result = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[:3])}… failed: {result.stderr.strip()[-400:]}")
    return elapsed


class Twelvecheck:
    name = "twelvecheck"

    def __init__(self, base: Path, work: Path):
        self.base, self.work = base, work

    def argv(self, context: Path, cache: Path) -> list[str]:
        return [sys.executable, "-m", "twelvecheck", "build", str(context), "--build-arg", "BASE=busybox",
                "--base", f"busybox=oci:{self.base}:latest", "--cache-dir", str(cache),
                "--output", f"oci:{self.work / 'out' / context.name}", "-t", f"bench/{context.name}:1"]

    def cold(self, context: Path) -> float:
        cache = Path(tempfile.mkdtemp(prefix="cache-", dir=self.work))
        return timed(self.argv(context, cache))

    def cached(self, context: Path) -> float:
        cache = self.work / "warm" / context.name
        timed(self.argv(context, cache))
        return timed(self.argv(context, cache))


class BuildKit:
    name = "BuildKit"

    def __init__(self, base: Path, work: Path):
        if not (shutil.which("dockerd") and os.path.exists(DOCKER)):
            raise LookupError("dockerd or /usr/bin/docker missing (apt-get install docker.io)")
        self.root = work / "dockerd"
        socket = self.root / "docker.sock"
        self.root.mkdir()
        self.log = open(self.root / "dockerd.log", "wb")
        self.daemon = subprocess.Popen(
            ["dockerd", "--iptables=false", "--ip6tables=false", "--bridge=none", "--storage-driver=overlay2",
             "--data-root", str(self.root / "data"), "--exec-root", str(self.root / "exec"),
             "--pidfile", str(self.root / "dockerd.pid"), "-H", f"unix://{socket}"],
            stdout=self.log, stderr=subprocess.STDOUT)
        self.env = {**os.environ, "DOCKER_HOST": f"unix://{socket}", "DOCKER_BUILDKIT": "1"}
        deadline = time.monotonic() + 20
        while subprocess.run([DOCKER, "version"], env=self.env, capture_output=True).returncode != 0:
            if time.monotonic() > deadline or self.daemon.poll() is not None:
                self.close()
                raise LookupError(f"dockerd did not start (see {self.root / 'dockerd.log'})")
            time.sleep(0.2)
        timed([DOCKER, "load", "-i", f"{base}.docker.tar"], self.env)

    def argv(self, context: Path, *extra: str) -> list[str]:
        return [DOCKER, "build", "-q", *extra, "--network", "none", "--build-arg", "BASE=localhost/busybox:latest",
                "-t", f"bench/{context.name}:bk", str(context)]

    def cold(self, context: Path) -> float:
        return timed(self.argv(context, "--no-cache"), self.env)

    def cached(self, context: Path) -> float:
        timed(self.argv(context), self.env)
        return timed(self.argv(context), self.env)

    def close(self) -> None:
        os.kill(self.daemon.pid, signal.SIGTERM)
        self.daemon.wait(timeout=20)
        self.log.close()


class Buildah:
    name = "buildah"

    def __init__(self, base: Path, work: Path):
        if not (shutil.which("buildah") and shutil.which("runc")):
            raise LookupError("buildah or runc missing (apt-get install buildah podman runc)")
        self.storage = ["--storage-driver", "vfs", "--root", str(work / "buildah-root"),
                        "--runroot", str(work / "buildah-run")]
        pulled = subprocess.run(["buildah", *self.storage, "pull", "-q", f"oci:{base}:latest"],
                                capture_output=True, text=True, check=True)
        self.base_name = pulled.stdout.split()[-1]  # the image ID: FROM accepts it

    def argv(self, context: Path, *extra: str) -> list[str]:
        return ["buildah", *self.storage, "bud", "-q", "--layers", *extra, *BUILDAH_RUN,
                "--build-arg", f"BASE={self.base_name}", "-t", f"bench/{context.name}:bah", str(context)]

    def cold(self, context: Path) -> float:
        return timed(self.argv(context, "--no-cache"))

    def cached(self, context: Path) -> float:
        timed(self.argv(context))
        return timed(self.argv(context))

    def close(self) -> None:
        pass


def median(measure: Callable[[], float], repeat: int) -> float:
    return statistics.median(measure() for _ in range(repeat))


def main() -> None:
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    work = Path(tempfile.mkdtemp(prefix="bench-build-"))
    try:
        base = work / "busybox"
        subprocess.run([str(BUSYBOX_SCRIPT), "-q", str(base)], check=True)
        contexts = write_suite(work / "suite")
        builders = [Twelvecheck(base, work)]
        for peer in (BuildKit, Buildah):
            try:
                builders.append(peer(base, work))
            except (LookupError, RuntimeError) as reason:
                print(f"skipping {peer.name}: {reason}")
        report(builders, contexts, repeat)
        for builder in builders[1:]:
            builder.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def report(builders, contexts: dict[str, Path], repeat: int) -> None:
    ours, peers = builders[0], builders[1:]
    print(f"median of {repeat} (seconds); ratio = peer time / twelvecheck time (>1: we are faster); "
          f"load average {os.getloadavg()[0]:.1f} (wall times are only comparable on an idle machine)")
    header = f"{'dockerfile':<14}{ours.name:>12}" + "".join(f"{peer.name:>12}{'ratio':>8}" for peer in peers)
    for kind in ("cold", "cached"):
        print(f"\n{kind}:\n{header}")
        totals = [0.0] * len(builders)
        for name, context in contexts.items():
            times = [median(lambda: getattr(builder, kind)(context), repeat) for builder in builders]
            totals = [total + value for total, value in zip(totals, times)]
            print(_row(name, times))
        print(_row("total", totals))


def _row(label: str, times: list[float]) -> str:
    ours, *peers = times
    return f"{label:<14}{ours:>12.3f}" + "".join(f"{peer:>12.3f}{peer / ours:>7.2f}x" for peer in peers)


if __name__ == "__main__":
    main()
