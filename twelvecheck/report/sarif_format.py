"""SARIF 2.1.0 for code scanning (GitHub, GitLab, Azure DevOps, IDE viewers).

One run. ``tool.driver.rules`` describes every rule the results use, with help from the rule docs
renderer; results carry relative URIs against ``%SRCROOT%``, exclusive end columns (our spans
already are), fingerprints that survive unrelated edits, the inline suppressions that silenced
findings (recorded rather than dropped), fixes and evidence. ``artifacts`` lists every file the
run analysed (clean ones too); an audit's twelve-factor scorecard and overall score go in the
run's property bag (SARIF has no place of its own for a verdict on the whole repository):
``runs[0].properties["twelve-factor"] = {"score": 75, "factors": {"I": {"status": ...}, ...}}``.
A repository-level finding (file ``.``) points at the root directory itself.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import quote

from twelvecheck import __version__
from twelvecheck.findings import Finding, Fix
from twelvecheck.fingerprint import SARIF_KEY, fingerprints
from twelvecheck.parse.model import Span
from twelvecheck.report import message_with_hint
from twelvecheck.report._escape import json_safe
from twelvecheck.report._json_text import dumps_indented
from twelvecheck.results import Report
from twelvecheck.rules.base import Rule
from twelvecheck.rules.docs import DOCS_URL, help_uri, render_markdown, section
from twelvecheck.rules.registry import find_rule
from twelvecheck.sources import Sources

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
LEVELS = {"error": "error", "warning": "warning", "info": "note", "style": "note"}


def render(report: Report, color: bool = False) -> str:
    return json_safe(dumps_indented(sarif(report))) + "\n"


def sarif(report: Report) -> dict[str, Any]:
    sources = Sources(report.root, report.texts)
    silenced = [entry.finding for entry in report.suppressed]
    codes = sorted({finding.rule for finding in [*report.findings, *silenced]})
    rules = [find_rule(code) for code in codes]
    index = {code: position for position, code in enumerate(codes)}
    results = [_result(finding, fingerprint, index) for finding, fingerprint in
               zip(report.findings, fingerprints(report.findings, sources))]
    for result, finding in zip(results, report.findings):
        if finding.refuted:  # verify: the image showed the claim false; kept, but not an alert
            why = "; ".join(e.description for e in finding.evidence) or "refuted by the built image"
            result["suppressions"] = [{"kind": "external", "status": "accepted", "justification": why}]
    for entry, fingerprint in zip(report.suppressed, fingerprints(silenced, sources)):
        result = _result(entry.finding, fingerprint, index)
        result["suppressions"] = [{"kind": "inSource", "status": "accepted", "justification": entry.justification}]
        results.append(result)
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "twelvecheck",
            "version": __version__,
            "semanticVersion": __version__,
            "informationUri": DOCS_URL,
            "rules": [_descriptor(rule) for rule in rules],
        }},
        "originalUriBaseIds": {SRCROOT: {"uri": Path(report.root).resolve().as_uri() + "/"}},
        "artifacts": [{"location": _artifact(file), "roles": ["analysisTarget"]} for file in report.files],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    if report.factors is not None:
        run["properties"] = {"twelve-factor": {"score": report.score, "factors": report.factors}}
    if report.ledger is not None:
        run.setdefault("properties", {})["twelvecheck/waste-ledger"] = report.ledger
    if report.notes:
        run["invocations"] = [{"executionSuccessful": True, "toolExecutionNotifications": [
            {"level": "note", "message": {"text": note}} for note in report.notes]}]
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _descriptor(rule: type[Rule]) -> dict[str, Any]:
    tags = [rule.family(), *(f"twelve-factor/{factor}" for factor in rule.factors)]
    properties: dict[str, Any] = {"tags": tags, "aliases": list(rule.all_aliases())}
    if rule.security_severity is not None:
        tags.append("security")
        properties["security-severity"] = f"{rule.security_severity:.1f}"
    documentation = render_markdown(rule)
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary()},
        "fullDescription": {"text": section(rule, "What it does") or rule.summary()},
        "help": {"text": documentation, "markdown": documentation},
        "helpUri": help_uri(rule),
        "defaultConfiguration": {"level": LEVELS[rule.severity], "enabled": rule.enabled_by_default},
        "properties": properties,
    }


def _result(finding: Finding, fingerprint: str, index: dict[str, int]) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": index[finding.rule],
        "level": LEVELS[finding.severity],
        "message": {"text": message_with_hint(finding)},
        "locations": [{"physicalLocation": {
            "artifactLocation": _artifact(finding.file),
            "region": _region(finding.span),
        }}],
        "partialFingerprints": {SARIF_KEY: fingerprint},
        "properties": {"severity": finding.severity, "factors": list(finding.factors)},
    }
    if finding.fix is not None:
        result["fixes"] = [_fix(finding.fix, finding.file)]
    if finding.evidence:
        result["properties"]["evidence"] = [e.as_json() for e in finding.evidence]
    if finding.verification:
        result["properties"]["verification"] = finding.verification
    related = _related(finding)
    if related:
        result["relatedLocations"] = related
    return result


def _related(finding: Finding) -> list[dict[str, Any]]:
    """The Dockerfile lines the evidence names: where the bytes were added and where removed
    (code scanning shows them on those lines)."""
    seen: dict[int, str] = {}
    for evidence in finding.evidence:
        added, removed = evidence.data.get("instruction_line"), evidence.data.get("removed_at_line")
        if isinstance(added, int) and added != finding.span.line:
            seen.setdefault(added, f"added here (layer {evidence.data.get('layer')})")
        if isinstance(removed, int):
            seen.setdefault(removed, "deleted or replaced here, yet the earlier layer still ships it")
    return [{"id": number, "message": {"text": text}, "physicalLocation": {
        "artifactLocation": _artifact(finding.file), "region": {"startLine": line}}}
        for number, (line, text) in enumerate(sorted(seen.items()))]


def _artifact(file: str) -> dict[str, str]:
    """Relative paths resolve against %SRCROOT%; a file named by an absolute path keeps it."""
    if os.path.isabs(file):
        return {"uri": Path(file).as_uri()}
    return {"uri": quote(PurePath(file).as_posix()), "uriBaseId": SRCROOT}


def _region(span: Span) -> dict[str, int]:
    return {"startLine": span.line, "startColumn": span.column,
            "endLine": span.end_line, "endColumn": span.end_column}


def _fix(fix: Fix, file: str) -> dict[str, Any]:
    return {
        "description": {"text": fix.description},
        "artifactChanges": [{
            "artifactLocation": _artifact(file),
            "replacements": [{"deletedRegion": _region(edit.span), "insertedContent": {"text": edit.text}}
                             for edit in fix.edits],
        }],
        "properties": {"safe": fix.safe},
    }
