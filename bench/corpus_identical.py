"""Record or compare every finding ``twelvecheck lint`` reports over the shared corpus.

A speed change must not change what is found. Record the findings of one checkout, then compare
another checkout's against them:

    python bench/corpus_identical.py record before.json      # on the old code
    python bench/corpus_identical.py compare before.json     # on the new code: exit 1 on any difference

The corpus is rebuilt at run time into a temporary tree with each repository's layout (as
bench/audit_corpus.py does), then linted twice: with the default rules and with ``--select all``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from audit_corpus import CORPUS, rebuild  # noqa: E402

RUNS = {"default": [], "all": ["--select", "all"]}


def findings() -> dict[str, list[dict]]:
    """Each run's findings, with paths relative to the rebuilt tree, sorted."""
    results = {}
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        rebuild(root)
        for name, extra in RUNS.items():
            output = root / f"{name}.json"
            subprocess.run([sys.executable, "-m", "twelvecheck", "lint", "--no-config", "--fail-on", "never",
                            "--format", "json", "-o", str(output), *extra, "."], cwd=root, check=True)
            found = json.loads(output.read_text(encoding="utf-8"))["findings"]
            results[name] = sorted(found, key=lambda f: json.dumps(f, sort_keys=True))
    return results


def main() -> int:
    if len(sys.argv) != 3 or sys.argv[1] not in ("record", "compare"):
        print(__doc__, file=sys.stderr)
        return 2
    if not (CORPUS / "MANIFEST.tsv").is_file():
        print(f"no corpus at {CORPUS}", file=sys.stderr)
        return 2
    mode, path = sys.argv[1:]
    current = findings()
    if mode == "record":
        Path(path).write_text(json.dumps(current, indent=1, sort_keys=True), encoding="utf-8")
        print(", ".join(f"{name}: {len(found)} findings" for name, found in current.items()))
        return 0
    recorded = json.loads(Path(path).read_text(encoding="utf-8"))
    different = 0
    for name, found in current.items():
        before = {json.dumps(f, sort_keys=True) for f in recorded[name]}
        after = {json.dumps(f, sort_keys=True) for f in found}
        gone, new = sorted(before - after), sorted(after - before)
        print(f"{name}: {len(recorded[name])} before, {len(found)} after, {len(gone)} gone, {len(new)} new")
        for line in gone[:10]:
            print("  -", line)
        for line in new[:10]:
            print("  +", line)
        different += len(gone) + len(new) + (len(found) != len(recorded[name]))
    print("identical" if not different else "DIFFERENT")
    return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main())
