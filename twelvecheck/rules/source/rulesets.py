"""Defines one AP rule class per semgrep ruleset file, from that file's own metadata.

Why a factory: a rule's semgrep patterns, its code, factors, severity, references and its
documentation must not drift apart, so they live in one YAML file
(``rulesets/semgrep/<factor>/<name>.yaml``) and nowhere else. Every semgrep rule of the file
carries ``metadata.code`` and ``metadata.factors`` (so ``semgrep`` results map back on their own)
and one of them carries ``metadata.docs`` (the docstring sections) and may carry ``metadata.hint``.
The file name is the rule's name. The class still has its identity as plain class attributes,
checked by ``Rule.__init_subclass__`` like any hand-written rule.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from twelvecheck.rules.base import RuleDefinitionError
from twelvecheck.rules.source._base import SemgrepRule

RULESET_DIR = Path(__file__).resolve().parents[2] / "rulesets" / "semgrep"
SEVERITIES = {"ERROR": "error", "WARNING": "warning", "INFO": "info"}


def ruleset_files() -> list[Path]:
    return sorted(RULESET_DIR.glob("*/*.yaml"))


def _one(values: set, what: str, path: Path) -> Any:
    if len(values) != 1:
        raise RuleDefinitionError(f"{path}: every rule of the file must have the same {what}, found {sorted(map(str, values))}")
    return values.pop()


def _documentation(metadata: list[Mapping[str, Any]], path: Path) -> str:
    docs = [entry["docs"] for entry in metadata if "docs" in entry]
    if len(docs) != 1:
        raise RuleDefinitionError(f"{path}: exactly one rule of the file must carry metadata.docs, found {len(docs)}")
    references = sorted({reference for entry in metadata for reference in entry.get("references", ())})
    listed = "".join(f"\n- <{reference}>" for reference in references)
    return docs[0].rstrip() + ("\n\n## References" + listed if listed else "") + "\n"


def define(path: Path) -> type[SemgrepRule]:
    rules = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("rules") or []
    metadata = [rule.get("metadata") or {} for rule in rules]
    if not rules:
        raise RuleDefinitionError(f"{path}: no rules")
    attributes = {
        "__doc__": _documentation(metadata, path),
        "__module__": __name__,
        "code": _one({entry.get("code") for entry in metadata}, "metadata.code", path),
        "name": path.stem,
        "severity": SEVERITIES.get(_one({rule.get("severity") for rule in rules}, "severity", path), ""),
        "factors": _one({tuple(entry.get("factors", ())) for entry in metadata}, "metadata.factors", path),
        "hint": next((entry["hint"] for entry in metadata if "hint" in entry), None),
        "ruleset": path,
        "skips_test_code": any(entry.get("skip-test-code") for entry in metadata),
    }
    class_name = re.sub(r"(?:^|-)(\w)", lambda m: m.group(1).upper(), path.stem)
    return type(class_name, (SemgrepRule,), attributes)


RULES = tuple(define(path) for path in ruleset_files())
