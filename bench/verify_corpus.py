"""verify on real corpus Dockerfiles: confirmed / refuted / not-checkable counts, reclaimable bytes,
and which findings the image refuted (the false positives verify removes).

Usage: python bench/verify_corpus.py DEBIAN_OCI_DIR [LIMIT]     (default LIMIT: 12)

DEBIAN_OCI_DIR is a one-layer Debian bookworm base (``mmdebstrap --variant=apt bookworm`` made
into an OCI layout). Dockerfiles are picked from ../shared/corpus/dockerfiles when every stage
starts FROM Debian, Ubuntu or a Debian-based language image (all mapped to that base with --base) and their RUN steps use apt-get
and no tool that fetches from hosts this machine cannot reach or that only the language image has; apt runs over
--network host. COPY/ADD sources become stub files in a scratch context. A build that fails is
reported with its first error line and counted apart.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "dockerfiles"
BASES = ("debian", "ubuntu", "python:", "node:", "ruby:", "buildpack-deps", "php:", "openjdk:", "golang:", "rust:")
# Commands that fetch from hosts this machine cannot reach, or build sources the stub context lacks.
UNREACHABLE = {"curl", "wget", "git", "gpg", "gpg2", "svn", "hg", "go", "cargo", "make", "cmake", "./configure",
               "gem", "bundle", "composer", "mvn", "gradle", "dotnet", "add-apt-repository", "apt-key",
               # what the language images add and a plain Debian base lacks
               "pip", "pip3", "npm", "yarn", "python", "python3", "node", "php", "ruby", "java", "docker-php-ext-install",
               "pecl", "rustup", "npx", "poetry", "pipenv", "uv"}


def candidates(limit: int) -> list[Path]:
    from twelvecheck.parse.dockerfile import parse
    from twelvecheck.rules.run_scripts import scripts_of

    chosen = []
    for path in sorted(CORPUS.iterdir()):
        try:
            parsed = parse(path.read_text(encoding="utf-8"), str(path))
        except (OSError, UnicodeDecodeError):
            continue
        names = {stage.name for stage in parsed.stages if stage.name}
        if parsed.errors or not parsed.stages or any(
                stage.base.lower() not in names and not stage.base.startswith(BASES) for stage in parsed.stages):
            continue
        if any("$" in stage.base or "windows" in stage.base or "nanoserver" in stage.base for stage in parsed.stages):
            continue  # unknown bases, and Windows images (their RUN is PowerShell)
        commands = {command.name for stage in parsed.stages for instruction in stage.instructions
                    if instruction.keyword == "RUN" for run in scripts_of(instruction) for command in run.commands}
        if not commands & UNREACHABLE and any(i.keyword == "RUN" for s in parsed.stages for i in s.instructions):
            chosen.append(path)
        if len(chosen) >= limit:
            break
    return chosen


def stub_context(dockerfile: Path, directory: str) -> None:
    """Empty files for every COPY/ADD source the context must hold."""
    from twelvecheck.parse.dockerfile import parse

    parsed = parse(dockerfile.read_text(encoding="utf-8"), str(dockerfile))
    for stage in parsed.stages:
        for instruction in stage.instructions:
            if instruction.keyword not in ("COPY", "ADD") or instruction.flag("from") or instruction.json:
                continue
            for source in instruction.args[:-1]:
                if "://" in source or source.startswith("<<") or any(c in source for c in "*?[$"):
                    continue
                target = os.path.join(directory, source.strip("/") or ".")
                if source.endswith("/") or source in (".", "./"):
                    os.makedirs(target, exist_ok=True)
                    open(os.path.join(target, "placeholder"), "w").close()
                else:
                    os.makedirs(os.path.dirname(target), exist_ok=True)
                    if not os.path.exists(target):
                        with open(target, "w") as handle:
                            handle.write("#!/bin/sh\n")
                        os.chmod(target, 0o755)


def main(debian: str, limit: int) -> None:
    from twelvecheck.config import Config
    from twelvecheck.parse.dockerfile import parse
    from twelvecheck.verification import VerifyError, verify

    cache = tempfile.mkdtemp(prefix="verify-corpus-cache-")
    totals: Counter[str] = Counter()
    refuted: list[str] = []
    reclaimable = 0
    failed = []
    rows = []
    for dockerfile in candidates(limit):
        parsed = parse(dockerfile.read_text(encoding="utf-8"), str(dockerfile))
        bases = {stage.base: f"oci:{debian}" for stage in parsed.stages if stage.base.startswith(BASES)}
        with tempfile.TemporaryDirectory() as context:
            stub_context(dockerfile, context)
            try:
                report = verify(context, str(dockerfile), Config(), bases=bases, network="host", cache_dir=cache)
            except VerifyError as error:
                failed.append((dockerfile.name, str(error).splitlines()[0][:120]))
                print(f"{dockerfile.name}: build failed: {str(error).splitlines()[0][:120]}", flush=True)
                continue
        verdicts = Counter(f.verification for f in report.findings)
        totals.update(verdicts)
        reclaimable += report.ledger["reclaimable_bytes"]
        refuted += [f"{dockerfile.name}:{f.span.line} {f.rule} {f.name}: {f.evidence[0].description}"
                    for f in report.refuted]
        rows.append({"file": dockerfile.name, **verdicts, "reclaimable_bytes": report.ledger["reclaimable_bytes"],
                     "efficiency": round(report.ledger["dive"]["efficiency"], 4)})
        print(json.dumps(rows[-1]), flush=True)
    print(f"\nverified {len(rows)} Dockerfiles ({len(failed)} did not build): {dict(totals)}; "
          f"reclaimable in their own layers: {reclaimable} bytes")
    print("refuted (false positives verify removed):")
    for line in refuted:
        print(f"  {line}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 12)
