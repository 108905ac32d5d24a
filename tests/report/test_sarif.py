"""SARIF: schema-valid, rule metadata from the docs, relative locations, stable fingerprints."""

from __future__ import annotations

from audit_fixture import EXPECTED_FILES, audited_repository, with_repository_finding
from helpers import lint_tree, validate_sarif

from twelvecheck.findings import FACTORS
from twelvecheck.report import render

BAD = """FROM alpine
MAINTAINER Jane <jane@example.com>
# hadolint ignore=DL3002 -- the init script drops privileges itself
USER root
CMD sh
"""


def sarif_of(tmp_path, files):
    return validate_sarif(render(lint_tree(tmp_path, files), "sarif"))


def test_rules_metadata_comes_from_the_rule_docs(tmp_path):
    run = sarif_of(tmp_path, {"Dockerfile": BAD})["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "twelvecheck" and driver["version"] and driver["informationUri"]
    rules = {rule["id"]: rule for rule in driver["rules"]}
    assert set(rules) == {"DF001", "DF003", "DF004", "DF006"}
    untagged = rules["DF001"]
    assert untagged["name"] == "untagged-base-image"
    assert untagged["help"]["markdown"].startswith("# DF001 untagged-base-image")
    assert "## Why is this bad?" in untagged["help"]["text"]
    assert untagged["helpUri"].endswith("/rules/DF001")
    assert untagged["defaultConfiguration"]["level"] == "warning"
    assert {"dockerfile", "twelve-factor/II", "twelve-factor/X"} <= set(untagged["properties"]["tags"])
    root_user = rules["DF003"]["properties"]
    assert "security" in root_user["tags"] and float(root_user["security-severity"]) > 0
    assert "security-severity" not in untagged["properties"]


def test_results_point_at_relative_files_with_regions(tmp_path):
    run = sarif_of(tmp_path, {"svc/api/Dockerfile": BAD})["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.resolve().as_uri() + "/"
    rules = run["tool"]["driver"]["rules"]
    first = run["results"][0]
    assert rules[first["ruleIndex"]]["id"] == first["ruleId"] == "DF001"
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "svc/api/Dockerfile", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 12}


def test_suppressions_fixes_and_levels_are_recorded(tmp_path):
    results = sarif_of(tmp_path, {"Dockerfile": BAD})["runs"][0]["results"]
    (silenced,) = [r for r in results if "suppressions" in r]
    assert silenced["ruleId"] == "DF003"
    assert silenced["suppressions"] == [{"kind": "inSource", "status": "accepted",
                                         "justification": "the init script drops privileges itself"}]
    (fixed,) = [r for r in results if "fixes" in r and r["ruleId"] == "DF006"]
    replacement = fixed["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert replacement["insertedContent"]["text"].startswith("LABEL org.opencontainers.image.authors=")
    assert replacement["deletedRegion"]["startLine"] == 2
    assert {r["level"] for r in results} == {"warning"}


def test_fingerprints_survive_an_unrelated_line_inserted_above(tmp_path):
    before = sarif_of(tmp_path / "a", {"Dockerfile": BAD})["runs"][0]["results"]
    shifted = "# a new comment\n\n" + BAD
    after = sarif_of(tmp_path / "b", {"Dockerfile": shifted})["runs"][0]["results"]
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in after] == \
        [r["locations"][0]["physicalLocation"]["region"]["startLine"] + 2 for r in before]
    assert [r["partialFingerprints"] for r in after] == [r["partialFingerprints"] for r in before]


def test_identical_lines_get_distinct_fingerprints_and_edits_change_them(tmp_path):
    twice = "FROM alpine:3.20\nMAINTAINER a\nMAINTAINER a\n"
    prints = [r["partialFingerprints"] for r in sarif_of(tmp_path / "a", {"Dockerfile": twice})["runs"][0]["results"]]
    assert len(prints) == 2 and prints[0] != prints[1]
    edited = [r["partialFingerprints"] for r in sarif_of(tmp_path / "b", {"Dockerfile": twice.replace("a\n", "b\n", 1)})["runs"][0]["results"]]
    assert edited[0] != prints[0]


def test_a_clean_file_is_a_valid_empty_run(tmp_path):
    run = sarif_of(tmp_path, {"Dockerfile": 'FROM alpine:3.20\nUSER nobody\nCMD ["sh"]\n'})["runs"][0]
    assert run["results"] == [] and run["tool"]["driver"]["rules"] == []


def test_an_audit_carries_the_scorecard_and_places_every_kind_of_finding(tmp_path):
    report = with_repository_finding(audited_repository(tmp_path))
    run = validate_sarif(render(report, "sarif"))["runs"][0]
    verdict = run["properties"]["twelve-factor"]
    assert verdict["score"] == report.score is not None
    assert set(verdict["factors"]) == set(FACTORS)
    assert verdict["factors"]["III"]["status"] == "fail" and "RP002" in verdict["factors"]["III"]["codes"]
    located = {r["ruleId"]: r["locations"][0]["physicalLocation"]["artifactLocation"] for r in run["results"]}
    for code, file in EXPECTED_FILES.items():
        assert located[code] == {"uri": file, "uriBaseId": "%SRCROOT%"}, code
    assert located["RP001"] == {"uri": ".", "uriBaseId": "%SRCROOT%"}  # the repository itself
    analysed = [artifact["location"]["uri"] for artifact in run["artifacts"]]
    assert analysed == report.files and "compose.yaml" in analysed
    families = {rule["id"]: rule["properties"]["tags"][0] for rule in run["tool"]["driver"]["rules"]}
    assert families["AP070"] == "application-source" and families["DI001"] == "dockerignore"


def test_a_lint_has_no_scorecard(tmp_path):
    assert "properties" not in sarif_of(tmp_path, {"Dockerfile": BAD})["runs"][0]
