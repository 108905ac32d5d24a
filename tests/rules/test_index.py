"""The rule index: what it stores matches the rule classes, and a changed rule rebuilds it,
from a copy of the package installed elsewhere (not this editable checkout) too."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import twelvecheck
from twelvecheck.rules import index
from twelvecheck.rules.base import KINDS
from twelvecheck.rules.registry import rules_for

PACKAGE = Path(twelvecheck.__file__).resolve().parent


def _builtin_classes():
    """The built-in rule classes (other tests define rule classes of their own in this process)."""
    return [cls for cls in rules_for(frozenset(KINDS), plugins=False) if cls.__module__.startswith("twelvecheck.")]


def test_the_index_describes_every_rule_class_as_the_classes_do():
    indexed = {info.code: info for info in index.builtin_rules()}
    classes = _builtin_classes()
    assert sorted(indexed) == [cls.code for cls in classes]
    for cls in classes:
        info = indexed[cls.code]
        assert (info.name, info.severity, info.factors, info.kind, info.all_aliases()) == \
               (cls.name, cls.severity, tuple(cls.factors), cls.kind, cls.all_aliases())
        assert info.load() is cls


def test_only_rules_that_look_at_named_instructions_or_commands_have_triggers():
    by_code = {info.code: info for info in index.builtin_rules()}
    for cls in _builtin_classes():
        info = by_code[cls.code]
        if info.keywords is not None:
            assert info.keywords == frozenset(cls.keywords) and "check" not in vars(cls)
        if info.commands is not None:
            assert info.commands == frozenset(cls.commands)
            assert "check" not in vars(cls) and "check_script" not in vars(cls)
    assert any(info.keywords for info in by_code.values()) and any(info.commands for info in by_code.values())


def _installed_copy(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(PACKAGE, site / "twelvecheck", ignore=shutil.ignore_patterns("__pycache__"))
    return site


def _lint(site: Path, cache: Path, workdir: Path) -> tuple[str, list[dict]]:
    script = ("import json, sys, twelvecheck\nfrom twelvecheck.engine import lint\n"
              "report = lint(['Dockerfile'])\n"
              "print(json.dumps([twelvecheck.__file__, [f.as_json() for f in report.findings]]))")
    environment = {**os.environ, "PYTHONPATH": str(site), "XDG_CACHE_HOME": str(cache), "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run([sys.executable, "-c", script], cwd=workdir, env=environment, capture_output=True,
                            text=True, check=True)
    where, findings = json.loads(result.stdout)
    return where, findings


def _severity(findings: list[dict], code: str) -> str:
    return next(f["severity"] for f in findings if f["rule"] == code)


def test_a_changed_rule_module_rebuilds_the_index(tmp_path):
    site = _installed_copy(tmp_path)
    (tmp_path / "Dockerfile").write_text("FROM debian\nUSER app\n")
    cache = tmp_path / "cache"
    where, findings = _lint(site, cache, tmp_path)
    assert where.startswith(str(site))  # the copy runs, not this checkout
    assert _severity(findings, "DF001") == "warning"
    assert list((cache / "twelvecheck" / "rules").glob("index-*.marshal"))
    module = site / "twelvecheck" / "rules" / "dockerfile" / "untagged_base_image.py"
    module.write_text(module.read_text().replace('severity = "warning"', 'severity = "error"', 1))
    _, findings = _lint(site, cache, tmp_path)
    assert _severity(findings, "DF001") == "error"


def test_a_read_only_install_with_no_writable_cache_still_lints_the_same(tmp_path):
    site = _installed_copy(tmp_path)
    (tmp_path / "Dockerfile").write_text("FROM debian\nRUN apt-get update && apt-get install -y curl\n")
    before = sorted(str(path) for path in site.rglob("*"))
    _, cached = _lint(site, tmp_path / "cache", tmp_path)
    (tmp_path / "not-a-directory").write_text("")
    _, uncached = _lint(site, tmp_path / "not-a-directory", tmp_path)  # the cache cannot be written
    assert cached == uncached and cached
    assert sorted(str(path) for path in site.rglob("*")) == before  # nothing written into the package
