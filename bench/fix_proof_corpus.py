"""Fixes proven by a rebuild, on real corpus Dockerfiles (issue 12's must-show).

Each file is a real Dockerfile from ../shared/corpus/dockerfiles whose only base is a Debian or
Ubuntu image and whose RUN steps are apt-get and plain shell. Its base is mapped to the tests'
Debian bookworm layout (tests/debian_base.py, made by mmdebstrap, cached), apt runs over
``--network host``, and every local COPY/ADD source is stubbed in a temporary context as a
one-line file (a file copies onto a file or into a directory alike). For each file the fixes are planned twice, safe only and with the unsafe ones, and each
plan is proven by ``prove_fixes`` (nothing is written): builds after, same packages, same files
apart from removed caches, bytes saved per fix.

    .venv/bin/python bench/fix_proof_corpus.py [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests")]
CORPUS = ROOT / ".." / "shared" / "corpus" / "dockerfiles"
PREFIX = "moby__buildkit__frontend__dockerfile__parser__testfiles__"
FILES = [f"{PREFIX}{name}__Dockerfile" for name in
         ("kartar-entrypoint-oddities", "mumble", "znc", "weechat", "mail")]

import debian_base  # noqa: E402


def stub_context(dockerfile: Path, directory: Path) -> None:
    """The local sources of every COPY/ADD, as stand-ins."""
    from twelvecheck.parse.dockerfile import parse

    parsed = parse(dockerfile.read_text(), str(dockerfile))
    for instruction in parsed.instructions:
        if instruction.keyword not in ("COPY", "ADD") or any(f.name == "from" for f in instruction.flags):
            continue
        for source in instruction.args[:-1]:
            if "://" in source:
                continue
            path = directory / source.lstrip("/").removeprefix("./")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"# stand-in for {source}\n")


def main() -> int:
    from twelvecheck.build.builder import BuildError
    from twelvecheck.config import Config
    from twelvecheck.fix_proof import prove_fixes
    from twelvecheck.parse.dockerfile import parse
    from twelvecheck.rules._verify import size
    from twelvecheck.verification import VerifyError

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="write the proofs here")
    parser.add_argument("--cache-dir", default=None, help="build cache (default: the user's)")
    options = parser.parse_args()
    layout = debian_base.make_debian_base()
    results = []
    for name in FILES:
        source = CORPUS / name
        if not source.exists():
            print(f"{name}: absent from the corpus, skipped")
            continue
        with tempfile.TemporaryDirectory(prefix="fixproof-") as scratch:
            context = Path(scratch)
            dockerfile = context / "Dockerfile"
            dockerfile.write_text(source.read_text())
            stub_context(dockerfile, context)
            bases = {stage.base: f"oci:{layout}:latest" for stage in parse(dockerfile.read_text(), "x").stages}
            short = name.removeprefix(PREFIX).removesuffix("__Dockerfile")
            for unsafe in (False, True):
                started = time.monotonic()
                try:
                    _, proof = prove_fixes(str(context), str(dockerfile), Config(), unsafe=unsafe, display=short,
                                           bases=bases, network="host", cache_dir=options.cache_dir)
                except (VerifyError, BuildError, RuntimeError, OSError, ValueError) as error:
                    print(f"{short} ({'unsafe' if unsafe else 'safe'}): the original does not build: {error}")
                    continue
                data = proof.as_json() | {"unsafe": unsafe, "seconds": round(time.monotonic() - started, 1),
                                          "bases": sorted(bases)}
                results.append(data)
                _print(short, data, size)
                sys.stdout.flush()
    if options.json:
        Path(options.json).write_text(json.dumps(results, indent=2) + "\n")
    proven = [r for r in results if not r["unsafe"] and r["builds_after"] is not None]
    passed = sum(r["passed"] for r in proven)
    print(f"\nsafe fixes: {passed}/{len(proven)} files proven (builds after, same packages, same files "
          f"apart from removed caches); bytes saved in total: "
          f"{size(sum(r['bytes_saved'] for r in proven if r['passed']))}")
    return 0 if proven and passed == len(proven) else 1


def _print(short: str, data: dict, size) -> None:
    mode = "unsafe" if data["unsafe"] else "safe"
    fixes = ", ".join(f"{code}x{count}" for code, count in data["fixes"].items()) or "none"
    if data["builds_after"] is None:
        print(f"{short} [{mode}] fixes: {fixes}: {data.get('problem')}")
        return
    line = f"{short} [{mode}] fixes: {fixes}; builds after: {'yes' if data['builds_after'] else 'no'}"
    if data["builds_after"]:
        changes = len(data["package_changes"])
        line += (f"; same packages: {'yes' if data['same_packages'] else f'no ({changes} changed)'}"
                 f"; same files: {'yes' if data['same_files'] else 'no'}"
                 f"; saved {size(data['bytes_saved'])} of {size(data['bytes_before'])}"
                 f"; proof {'passed' if data['passed'] else 'FAILED'} ({data['seconds']} s)")
    else:
        line += f": {data.get('build_error')}"
    print(line)
    for saving in data.get("savings", []):
        print(f"    line {saving['line']} {'+'.join(saving['rules']) or '?'}: saved {size(saving['bytes_saved'])}")


if __name__ == "__main__":
    sys.exit(main())
