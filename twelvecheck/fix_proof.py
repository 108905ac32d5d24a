"""``verify --fix``: prove a Dockerfile's fixes by building the image before and after them.

``prove_fixes(context, dockerfile, config)`` plans the fixes without writing (the same fixer as
``lint --fix``), builds the original Dockerfile and the fixed text (a temporary file beside
nothing, with the same build context and options; the build cache makes the steps before the
first changed line free), reads both images with the image view, and compares:

* **builds after**: the fixed Dockerfile builds, or the build error with its line;
* **same packages**: Debian (``/var/lib/dpkg/status``: installed packages, name:arch → version),
  Alpine (``/lib/apk/db/installed``) and Python (``*.dist-info`` / ``*.egg-info`` directories
  under ``site-packages`` or ``dist-packages``: name → version);
* **same files apart from removed caches**: every path whose final state (type, size, mode,
  owner, link target) differs is classified ``cache`` (package lists, package and language
  caches, docs, temporary files), ``log`` (apt/dpkg logs, which record the command line that
  the fix changed) or ``other``. File contents are not compared, only their metadata;
* **bytes saved per fix**: the instructions whose text the fixes changed are matched between
  the two Dockerfiles (by position), and each one's layer bytes before and after are compared;
  the rules fixed on that instruction are named.

The proof passes when the fixed image builds, the package sets are equal and no ``other`` path
differs. ``verify_fix`` writes the file only then (through ``fix_write``) and returns verify's
report of what is on disk with a ``fix_proof`` section. There is no flag to write without the
proof: that is ``lint --fix``.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

Progress = Callable[[str], None]
LISTED = 20  # example paths kept per category
LISTED_OTHER = 500  # paths kept of the differences that fail the proof ("count" has them all)
NOTHING_TO_FIX = "no fix applies"

# Paths a fix may remove (or stop creating): package indexes and caches, docs, temporary files.
CACHE_PATHS = re.compile(
    r"^/(var/lib/apt/lists|var/cache/apt|var/cache/apk|var/cache/yum|var/cache/dnf|var/cache/zypp|"
    r"var/cache/debconf/[^/]*-old$|var/cache/ldconfig|"
    r"root/\.cache|root/\.npm|root/\.yarn|root/\.gem|usr/local/share/\.cache|usr/share/doc|usr/share/man|"
    r"usr/share/info|usr/local/bundle/doc|tmp|var/tmp)(/|$)|/(ri|rdoc)(/|$)|/__pycache__(/|$)")
# Logs that record the command line (apt's history, dpkg's log): they change with the fix's text.
LOG_PATHS = re.compile(r"^/var/log(/|$)|^/var/lib/apt/extended_states$|^/var/lib/dpkg/[^/]+-old$")
DIST_INFO = re.compile(r"/(?:site|dist)-packages/([^/]+?)\.(dist-info|egg-info)$")


@dataclass(slots=True)
class Saving:
    """One changed instruction: its lines in the original and fixed files, the rules fixed on
    it, and its layer bytes before and after."""

    line: int
    fixed_line: int
    rules: list[str]
    bytes_before: int
    bytes_after: int

    @property
    def saved(self) -> int:
        return self.bytes_before - self.bytes_after

    def as_json(self) -> dict[str, Any]:
        return {"line": self.line, "fixed_line": self.fixed_line, "rules": self.rules,
                "bytes_before": self.bytes_before, "bytes_after": self.bytes_after, "bytes_saved": self.saved}


@dataclass(slots=True)
class FixProof:
    file: str
    applied: Counter = field(default_factory=Counter)
    problem: str | None = None  # why nothing was built (no fix applies, the fix does not parse)
    builds_after: bool | None = None
    build_error: str | None = None
    packages_before: dict[str, dict[str, str]] = field(default_factory=dict)
    packages_after: dict[str, dict[str, str]] = field(default_factory=dict)
    differences: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # category -> (path, how)
    savings: list[Saving] = field(default_factory=list)
    bytes_before: int = 0
    bytes_after: int = 0
    written: bool = False

    @property
    def package_changes(self) -> list[dict[str, Any]]:
        changes = []
        for manager in sorted(set(self.packages_before) | set(self.packages_after)):
            before = self.packages_before.get(manager, {})
            after = self.packages_after.get(manager, {})
            for name in sorted(set(before) | set(after)):
                if before.get(name) != after.get(name):
                    changes.append({"manager": manager, "package": name,
                                    "before": before.get(name), "after": after.get(name)})
        return changes

    @property
    def same_packages(self) -> bool | None:
        return None if self.builds_after is None or not self.builds_after else not self.package_changes

    @property
    def same_files(self) -> bool | None:
        return None if not self.builds_after else not self.differences.get("other")

    @property
    def passed(self) -> bool:
        if self.builds_after is None:  # nothing built: passes only when no fix applies
            return self.problem == NOTHING_TO_FIX
        return bool(self.builds_after and self.same_packages and self.same_files)

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "file": self.file, "passed": self.passed, "written": self.written,
            "fixes": dict(sorted(self.applied.items())), "builds_after": self.builds_after,
        }
        if self.problem:
            data["problem"] = self.problem
        if self.build_error:
            data["build_error"] = self.build_error
        if self.builds_after:
            data["same_packages"] = self.same_packages
            data["packages"] = {manager: len(names) for manager, names in sorted(self.packages_before.items())}
            data["package_changes"] = self.package_changes
            data["same_files"] = self.same_files
            data["differences"] = {category: {"count": len(items), "paths": [
                {"path": path, "how": how} for path, how in items[:LISTED_OTHER if category == "other" else LISTED]]}
                for category, items in sorted(self.differences.items())}
            data["savings"] = [saving.as_json() for saving in self.savings]
            data["bytes_before"] = self.bytes_before
            data["bytes_after"] = self.bytes_after
            data["bytes_saved"] = self.bytes_before - self.bytes_after
        return data


def prove_fixes(context: str, dockerfile: str | None, config, *, unsafe: bool = False,
                only: Collection[str] | None = None, display: str | None = None,
                progress: Progress | None = None, **build_options: Any) -> tuple[Any, FixProof]:
    """Plan the fixes of ``dockerfile`` (nothing written), build before and after, compare.
    Returns the plan (``fix.FileFix``) and the proof. A Dockerfile whose original does not build
    raises ``verification.VerifyError``: there is nothing to compare against."""
    import tarfile
    import tempfile

    from twelvecheck.build import builder, inspect
    from twelvecheck.config import config_for
    from twelvecheck.files import read_text
    from twelvecheck.fix import Fixer
    from twelvecheck.verification import VerifyError

    dockerfile = dockerfile or os.path.join(context, "Dockerfile")
    display = display or dockerfile
    text = read_text(dockerfile, config.max_file_bytes)
    if not isinstance(text, str):
        raise VerifyError(f"{dockerfile}: cannot read the Dockerfile")
    fixer = Fixer(config_for(config, dockerfile), unsafe, only)
    plan = fixer.fix_text("dockerfile", display, dockerfile, text)
    proof = FixProof(display, Counter(plan.applied), plan.problem)
    if not plan.changed:
        proof.problem = plan.problem or NOTHING_TO_FIX
        return plan, proof
    say = progress or (lambda line: None)
    try:
        before = builder.build(context, dockerfile, progress=say, **build_options)
    except (OSError, ValueError, RuntimeError) as error:
        raise VerifyError(f"the original does not build, so the fixes cannot be proven: {error}") from None
    with tempfile.TemporaryDirectory(prefix="twelvecheck-fixproof-") as scratch:
        fixed_path = os.path.join(scratch, os.path.basename(dockerfile))
        with open(fixed_path, "w", encoding="utf-8", newline="") as handle:
            handle.write(plan.fixed.removeprefix("\ufeff"))
        try:
            after = builder.build(context, fixed_path, progress=say, **build_options)
        except (OSError, ValueError, RuntimeError) as error:
            proof.builds_after = False
            message = str(error)
            proof.build_error = (message.replace(fixed_path, f"{display} (fixed)") if fixed_path in message
                                 else f"{display} (fixed), {message}")
            return plan, proof
    proof.builds_after = True
    try:
        view_before = inspect.view(before, progress=progress)
        view_after = inspect.view(after, progress=progress)
        proof.packages_before = packages(before, view_before)
        proof.packages_after = packages(after, view_after)
    except (OSError, ValueError, EOFError, tarfile.TarError) as error:
        raise VerifyError(f"the images were built but could not be read: {error}") from None
    proof.differences = differences(view_before, view_after, os.path.basename(dockerfile), plan)
    proof.savings = savings(fixer, display, dockerfile, plan, view_before, view_after)
    proof.bytes_before = sum(layer.size for layer in view_before.layers if not layer.base)
    proof.bytes_after = sum(layer.size for layer in view_after.layers if not layer.base)
    return plan, proof


def verify_fix(context: str = ".", dockerfile: str | None = None, config=None, *, unsafe: bool = False,
               only: Collection[str] | None = None, root: str = ".", show_refuted: bool = False,
               base_findings: bool = False, progress: Progress | None = None, **build_options: Any):
    """``verify --fix``: prove the fixes, write them only when the proof passes, then verify what
    is on disk (the builds are cached by then). The report carries the proof (``fix_proof``)."""
    from twelvecheck.config import Config
    from twelvecheck.engine import display_path
    from twelvecheck.fix_write import FixRefused, write_fixed
    from twelvecheck.verification import verify

    config = config or Config()
    dockerfile = dockerfile or os.path.join(context, "Dockerfile")
    plan, proof = prove_fixes(context, dockerfile, config, unsafe=unsafe, only=only,
                              display=display_path(dockerfile, root), progress=progress, **build_options)
    notes = []
    if plan.changed and proof.passed:
        try:
            write_fixed(dockerfile, lambda text: plan if text == plan.original else _unchanged(plan, text),
                        [os.path.realpath(os.path.dirname(dockerfile) or ".")], config.max_file_bytes)
            proof.written = True
        except FixRefused as refused:
            notes.append(f"{proof.file}: the fixes were proven but not written: {refused}")
    report = verify(context, dockerfile, config, root=root, show_refuted=show_refuted,
                    base_findings=base_findings, progress=progress, **build_options)
    report.fix_proof = proof.as_json()
    report.notes.extend(notes)
    return report


def _unchanged(plan, text: str):
    """The file changed since it was planned: write nothing (the proof was of other text)."""
    from twelvecheck.fix import FileFix

    return FileFix(plan.path, plan.source, plan.kind, text, text)


# --- packages ----------------------------------------------------------------------------------

PACKAGE_DATABASES = {"deb": "/var/lib/dpkg/status", "apk": "/lib/apk/db/installed"}


def packages(built, view) -> dict[str, dict[str, str]]:
    """Installed packages per manager (only the managers the image has)."""
    found: dict[str, dict[str, str]] = {}
    for manager, path in PACKAGE_DATABASES.items():
        event = view.final(path)
        if event is None or event.type != "file":
            continue
        text = read_member(built, event.layer, path) or ""
        found[manager] = _dpkg(text) if manager == "deb" else _apk(text)
    python = {}
    for path, events in view.paths.items():
        match = DIST_INFO.search(path)
        if match and events[-1].kind != "deleted":
            name, _, version = match.group(1).partition("-")
            if match.group(2) == "egg-info":
                version = version.split("-py")[0]
            python[name.lower().replace("_", "-")] = version
    if python:
        found["python"] = python
    return found


def _dpkg(text: str) -> dict[str, str]:
    installed = {}
    for paragraph in text.split("\n\n"):
        fields = dict(line.split(":", 1) for line in paragraph.splitlines() if ":" in line and not line[:1].isspace())
        status = fields.get("Status", "").split()
        if fields.get("Package") and status[-1:] == ["installed"]:
            name = f"{fields['Package'].strip()}:{fields.get('Architecture', '').strip()}"
            installed[name] = fields.get("Version", "").strip()
    return installed


def _apk(text: str) -> dict[str, str]:
    installed, name = {}, None
    for line in text.splitlines():
        if line.startswith("P:"):
            name = line[2:]
        elif line.startswith("V:") and name:
            installed[name] = line[2:]
    return installed


def read_member(built, layer: int, path: str, limit: int = 64 << 20) -> str | None:
    """One file's text from one layer of a built image (gzip'd or plain tar), at most ``limit``
    bytes; None when the layer does not hold it as a regular file."""
    import gzip
    import tarfile

    descriptor = built.layers[layer - 1].descriptor
    with open(built.blob_path(descriptor.digest), "rb") as raw:
        stream = gzip.GzipFile(fileobj=raw) if raw.read(2) == b"\x1f\x8b" else raw
        raw.seek(0)
        with tarfile.open(fileobj=stream, mode="r|") as tar:
            for member in tar:
                name = "/" + "/".join(part for part in member.name.split("/") if part not in ("", "."))
                if name == path and member.isfile():
                    handle = tar.extractfile(member)
                    return handle.read(limit).decode("utf-8", "replace") if handle else None
    return None


# --- files -------------------------------------------------------------------------------------

def category(path: str) -> str:
    if CACHE_PATHS.search(path):
        return "cache"
    if LOG_PATHS.search(path):
        return "log"
    return "other"


def _state(event) -> tuple | None:
    if event is None:
        return None
    size = event.size if event.type == "file" else 0
    return event.type, size, event.mode & 0o7777, event.uid, event.gid, event.link


def differences(before, after, dockerfile_name: str, plan) -> dict[str, list[tuple[str, str]]]:
    """Paths whose final state differs, by category. A file named like the Dockerfile whose size
    went from the original's to the fixed text's is the Dockerfile itself (a ``COPY . .``)."""
    sizes = (len(plan.original.encode()), len(plan.fixed.encode()))
    found: dict[str, list[tuple[str, str]]] = {}
    for path in sorted(set(before.paths) | set(after.paths)):
        old, new = _state(before.final(path)), _state(after.final(path))
        if old == new:
            continue
        if old is None:
            how = "added"
        elif new is None:
            how = "removed"
        elif old[0] != new[0]:
            how = f"{old[0]} -> {new[0]}"
        elif old[1] != new[1]:
            how = f"size {old[1]} -> {new[1]}"
        else:
            how = "mode/owner/link changed"
        kind = category(path)
        if kind == "other" and os.path.basename(path) == dockerfile_name and old and new and (old[1], new[1]) == sizes:
            kind = "dockerfile"
        found.setdefault(kind, []).append((path, how))
    return found


# --- bytes per fix -----------------------------------------------------------------------------

def savings(fixer, display: str, source: str, plan, before, after) -> list[Saving]:
    """Per instruction the fixes changed: its layer bytes before and after, and the rules fixed on
    it (rules whose finding was on that instruction in the original; a fix that only a later
    round made is named by the rules not placed elsewhere)."""
    from difflib import SequenceMatcher

    from twelvecheck.fix import applicable
    from twelvecheck.parse.dockerfile import parse

    old = _instructions(parse(plan.original, display))
    new = _instructions(parse(plan.fixed, display))
    matcher = SequenceMatcher(a=[i.keyword for i in old], b=[i.keyword for i in new], autojunk=False)
    pairs = []
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and a1 - a0 == b1 - b0):
            pairs.extend(zip(old[a0:a1], new[b0:b1]))
    found = [f for f in fixer.findings("dockerfile", display, source, plan.original)
             if applicable(f, fixer.unsafe, fixer.only)]
    result, placed = [], set()
    for first, second in pairs:
        if " ".join(first.source.split()) == " ".join(second.source.split()):
            continue
        span = first.span
        rules = sorted({f.rule for f in found if span.line <= f.span.line <= span.end_line})
        placed.update(rules)
        size_before = sum(layer.size for layer in before.layers_at(span.line))
        size_after = sum(layer.size for layer in after.layers_at(second.span.line))
        result.append(Saving(span.line, second.span.line, rules, size_before, size_after))
    rest = sorted(set(plan.applied) - placed)
    for saving in result:
        if not saving.rules:
            saving.rules = rest
    return result


@dataclass(frozen=True)
class _Instruction:
    keyword: str
    span: Any
    source: str


def _instructions(dockerfile) -> list[_Instruction]:
    """Every instruction with its source lines as written (continuations included)."""
    lines = dockerfile.text.splitlines()
    return [_Instruction(i.keyword, i.span, "\n".join(lines[i.span.line - 1:i.span.end_line]))
            for i in dockerfile.instructions]


# --- text --------------------------------------------------------------------------------------

def proof_lines(proof: dict[str, Any]) -> list[str]:
    """The proof as the text report shows it (from the JSON form)."""
    from twelvecheck.report._escape import terminal_safe
    from twelvecheck.rules._verify import size

    fixes = ", ".join(f"{code} x{count}" for code, count in proof["fixes"].items()) or "none"
    verdict = "passed" if proof["passed"] else "FAILED"
    lines = ["", f"Fix proof for {proof['file']} ({fixes}): {verdict}"]
    if proof.get("problem"):
        lines.append(f"  {proof['problem']}")
    if proof["builds_after"] is False:
        lines.append(f"  builds after: no: {terminal_safe(proof.get('build_error', ''))}")
    if proof["builds_after"]:
        packages = ", ".join(f"{count} {manager}" for manager, count in proof["packages"].items()) or "no package database"
        lines.append(f"  builds after: yes; same packages: {'yes' if proof['same_packages'] else 'no'} ({packages})")
        for change in proof["package_changes"][:LISTED]:
            lines.append(f"    {change['manager']} {change['package']}: {change['before'] or '-'} -> {change['after'] or '-'}")
        counts = ", ".join(f"{entry['count']} {name}" for name, entry in proof["differences"].items()) or "none"
        lines.append(f"  same files apart from removed caches: {'yes' if proof['same_files'] else 'no'} "
                     f"(paths differing: {counts})")
        for item in proof["differences"].get("other", {}).get("paths", [])[:LISTED]:
            lines.append(f"    {terminal_safe(item['path'])}: {item['how']}")
        for saving in proof["savings"]:
            rules = ", ".join(saving["rules"]) or "?"
            lines.append(f"  line {saving['line']} ({rules}): {size(saving['bytes_before'])} -> "
                         f"{size(saving['bytes_after'])}, saved {size(saving['bytes_saved'])}")
        lines.append(f"  your layers: {size(proof['bytes_before'])} -> {size(proof['bytes_after'])}, "
                     f"saved {size(proof['bytes_saved'])}")
    if proof["written"]:
        lines.append("  the fixes were written")
    elif proof["builds_after"] is not None:
        lines.append("  nothing written" + ("" if proof["passed"] else ": the proof failed"))
    return lines
