"""JUnit XML, the test report every CI shows (GitLab ``junit`` artifacts, Jenkins, Azure, CircleCI).

One ``<testsuite>`` per linted file; in it one failing ``<testcase>`` per rule that fired, whose
``<failure>`` lists each finding on its own line (consumers show one failure per test case), or a
single passing test case when the file is clean, so the CI counts clean files too.
"""

from __future__ import annotations

from twelvecheck.findings import Finding
from twelvecheck.report import message_with_hint
from twelvecheck.report._xml import element, serialize
from twelvecheck.results import Report

CLEAN_CASE = "no findings"


def render(report: Report, color: bool = False) -> str:
    by_file: dict[str, dict[str, list[Finding]]] = {name: {} for name in report.files}
    for finding in report.standing:  # refuted by the image (verify): not an alert
        by_file.setdefault(finding.file, {}).setdefault(finding.rule, []).append(finding)
    root = element(None, "testsuites", name="twelvecheck")
    for name, cases in by_file.items():
        suite = element(root, "testsuite", name=name, tests=max(len(cases), 1), failures=len(cases), errors=0, skipped=0)
        for code, group in cases.items():
            case = element(suite, "testcase", classname=name, name=f"{code} {group[0].name}", file=name)
            lines = [f"{name}:{f.span.line}:{f.span.column} {f.severity} {message_with_hint(f)}" for f in group]
            element(case, "failure", "\n".join(lines), type=code,
                    message=f"{len(group)} finding{'s' if len(group) != 1 else ''} of {code} {group[0].name}")
        if not cases:
            element(suite, "testcase", classname=name, name=CLEAN_CASE, file=name)
    tests = sum(int(suite.get("tests")) for suite in root)
    failures = sum(int(suite.get("failures")) for suite in root)
    root.set("tests", str(tests))
    root.set("failures", str(failures))
    return serialize(root)
