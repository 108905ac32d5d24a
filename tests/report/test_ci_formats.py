"""GitHub annotations, GitLab Code Quality, JUnit and Checkstyle XML, checked as their consumers read them."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import jsonschema
from helpers import lint_tree

from twelvecheck.findings import Finding
from twelvecheck.parse.model import Span
from twelvecheck.report import render
from twelvecheck.results import Report

BAD = "FROM alpine\nMAINTAINER me\nCMD sh\n"
CLEAN = 'FROM alpine:3.20\nUSER nobody\nCMD ["sh"]\n'
AWKWARD = Finding(Span(3, 2, 4, 5), 'a 100% "bad"\r\nline, with: <markup> & \x1b[31mcolour\x00',
                  hint="fix it", rule="DF001", name="untagged-base-image", severity="error",
                  file="dir,with:odd%chars/Dockerfile")


def awkward_report() -> Report:
    return Report(findings=[AWKWARD], files=[AWKWARD.file])


# GitHub's runner splits "::command props::message" at the first "::", then the properties at ","
# and "=", then undoes the toolkit's percent-escapes.
_COMMAND = re.compile(r"^::(error|warning|notice) ([^:]*)::(.*)$")


def _unescape(text: str) -> str:
    for escaped, raw in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, raw)
    return text


def parse_workflow_commands(output: str) -> list[tuple[str, dict[str, str], str]]:
    commands = []
    for line in output.splitlines():
        kind, properties, message = _COMMAND.match(line).groups()
        pairs = dict(item.split("=", 1) for item in properties.split(","))
        commands.append((kind, {k: _unescape(v) for k, v in pairs.items()}, _unescape(message)))
    return commands


def test_github_annotations_escape_what_github_splits_on():
    ((kind, properties, message),) = parse_workflow_commands(render(awkward_report(), "github"))
    assert kind == "error"
    assert properties == {"file": AWKWARD.file, "line": "3", "col": "2", "endLine": "4", "endColumn": "5",
                          "title": "DF001 untagged-base-image"}
    # CR/LF round-trip (percent-encoded); an escape sequence and a NUL arrive as visible text
    assert message == 'a 100% "bad"\r\nline, with: <markup> & \\e[31mcolour\\x00 (fix it)'


def test_github_levels(tmp_path):
    commands = parse_workflow_commands(render(lint_tree(tmp_path, {"Dockerfile": BAD}), "github"))
    assert [(kind, props["line"]) for kind, props, _ in commands] == [("warning", "1"), ("warning", "2"), ("warning", "3")]


GITLAB_ISSUE = {  # the fields GitLab's Code Quality widget reads (docs: "Code Quality report format")
    "type": "object",
    "required": ["description", "check_name", "fingerprint", "severity", "location"],
    "properties": {
        "description": {"type": "string", "minLength": 1},
        "check_name": {"type": "string", "minLength": 1},
        "fingerprint": {"type": "string", "minLength": 1},
        "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
        "location": {
            "type": "object", "required": ["path", "lines"],
            "properties": {"path": {"type": "string"},
                           "lines": {"type": "object", "required": ["begin"],
                                     "properties": {"begin": {"type": "integer", "minimum": 1}}}},
        },
    },
}


def test_gitlab_code_quality_structure_and_unique_fingerprints(tmp_path):
    import json

    report = lint_tree(tmp_path, {"a/Dockerfile": BAD, "b/Dockerfile": BAD + BAD.replace("FROM alpine", "FROM alpine AS x")})
    issues = json.loads(render(report, "gitlab"))
    jsonschema.validate(issues, {"type": "array", "items": GITLAB_ISSUE})
    assert len(issues) == len(report.findings)
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)
    assert issues[0]["location"] == {"path": "a/Dockerfile", "lines": {"begin": 1, "end": 1}}
    assert {issue["severity"] for issue in issues} == {"major"}


def test_junit_one_case_per_file_and_rule(tmp_path):
    report = lint_tree(tmp_path, {"bad/Dockerfile": BAD + "MAINTAINER again\n", "good/Dockerfile": CLEAN})
    root = ET.fromstring(render(report, "junit"))
    assert root.tag == "testsuites"
    suites = {suite.get("name"): suite for suite in root.findall("testsuite")}
    assert set(suites) == {"bad/Dockerfile", "good/Dockerfile"}
    bad = suites["bad/Dockerfile"]
    cases = bad.findall("testcase")
    assert [case.get("name") for case in cases] == ["DF001 untagged-base-image", "DF006 maintainer-deprecated",
                                                   "DF004 shell-form-command"]
    assert all(case.get("classname") == "bad/Dockerfile" for case in cases)
    maintainer = cases[1].find("failure")
    assert maintainer.get("type") == "DF006" and maintainer.get("message").startswith("2 findings")
    assert len(maintainer.text.splitlines()) == 2
    (clean_case,) = suites["good/Dockerfile"].findall("testcase")
    assert clean_case.find("failure") is None
    for suite in root.findall("testsuite"):
        assert int(suite.get("tests")) == len(suite.findall("testcase"))
        assert int(suite.get("failures")) == len(suite.findall("testcase/failure"))
    assert int(root.get("tests")) == 4 and int(root.get("failures")) == 3


def test_checkstyle_structure(tmp_path):
    report = lint_tree(tmp_path, {"bad/Dockerfile": BAD, "good/Dockerfile": CLEAN})
    root = ET.fromstring(render(report, "checkstyle"))
    assert root.tag == "checkstyle" and root.get("version")
    files = {node.get("name"): node for node in root.findall("file")}
    assert set(files) == {"bad/Dockerfile", "good/Dockerfile"} and not list(files["good/Dockerfile"])
    errors = files["bad/Dockerfile"].findall("error")
    assert [(e.get("line"), e.get("column"), e.get("severity")) for e in errors] == \
        [("1", "1", "warning"), ("2", "1", "warning"), ("3", "1", "warning")]
    assert errors[0].get("source") == "twelvecheck.DF001.untagged-base-image" and errors[0].get("message")


def test_xml_formats_stay_well_formed_with_control_characters():
    for fmt in ("junit", "checkstyle"):
        text = render(awkward_report(), fmt)
        ET.fromstring(text)
        assert "&lt;markup&gt; &amp;" in text and "\x1b" not in text and "\x00" not in text


def test_audit_and_lint_write_annotations_by_default_under_github_actions(tmp_path):
    from helpers import run, write_tree

    write_tree(str(tmp_path), {"Dockerfile": BAD})
    for command in ("lint", "audit"):
        result = run(command, ".", cwd=tmp_path, env={"GITHUB_ACTIONS": "true"})
        assert result.returncode == 1, result.stderr
        commands = parse_workflow_commands(result.stdout)  # every line is a workflow command
        assert ("warning", "1") in [(kind, properties["line"]) for kind, properties, _ in commands], command


def test_repository_level_findings_in_the_xml_and_gitlab_formats(tmp_path):
    import json

    from audit_fixture import audited_repository, with_repository_finding

    report = with_repository_finding(audited_repository(tmp_path))
    junit = ET.fromstring(render(report, "junit"))
    (repository,) = [suite for suite in junit.findall("testsuite") if suite.get("name") == "."]
    assert repository.find("testcase/failure").get("type") == "RP001"
    suites = {suite.get("name") for suite in junit.findall("testsuite")}
    assert {".", "docker-entrypoint.sh", "compose.override.yaml", ".dockerignore", "app.py", ".env"} <= suites
    assert int(junit.get("failures")) == sum(int(s.get("failures")) for s in junit.findall("testsuite"))
    checkstyle = ET.fromstring(render(report, "checkstyle"))
    files = {node.get("name") for node in checkstyle.findall("file")}
    assert set(report.files) | {finding.file for finding in report.findings} == files
    issues = json.loads(render(report, "gitlab"))
    jsonschema.validate(issues, {"type": "array", "items": GITLAB_ISSUE})
    assert issues[0]["location"] == {"path": ".", "lines": {"begin": 1, "end": 1}}
    assert len({issue["fingerprint"] for issue in issues}) == len(report.findings)


def test_a_repository_level_finding_annotates_the_run_not_a_file(tmp_path):
    from audit_fixture import REPOSITORY_FINDING

    ((kind, properties, message),) = parse_workflow_commands(render(Report([REPOSITORY_FINDING], []), "github"))
    assert kind == "notice" and properties == {"title": "RP001 manifest-without-lockfile"}
    assert message == "package.json at the root has no lockfile (commit one)"
