"""The HTML report: escaped, self-contained, scorecard first; rendered in headless Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess
import time

from html import escape as html_escape

import pytest
from audit_fixture import audited_repository, with_repository_finding
from helpers import lint_tree, validate_sarif

from twelvecheck.config import Config
from twelvecheck.repository_audit import audit
from twelvecheck.findings import Finding
from twelvecheck.parse.model import Span
from twelvecheck.report import render
from twelvecheck.results import Report

HOSTILE = '<script>alert("x")</script>'


def test_everything_from_files_and_findings_is_escaped(tmp_path):
    (tmp_path / "Dockerfile").write_text(f"FROM alpine\nLABEL note='{HOSTILE}'\n")
    finding = Finding(Span(2, 1, 2, 10), f"message {HOSTILE}", hint=HOSTILE, rule="DF001",
                      name="untagged-base-image", severity="warning", factors=("II",), file="Dockerfile")
    html = render(Report(findings=[finding], files=["Dockerfile"], root=str(tmp_path)), "html")
    assert HOSTILE not in html
    assert html.count("&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") == 3  # message, hint, snippet


def test_the_page_needs_no_network(tmp_path):
    html = render(lint_tree(tmp_path, {"Dockerfile": "FROM alpine\nCMD sh\n"}), "html")
    assert "default-src 'none'" in html
    assert not re.search(r"""<(link|img|iframe)\b|\b(src|href)=["']?(https?:)?//""", html)


def test_lint_scorecard_counts_the_factors_findings_touch(tmp_path):
    html = render(lint_tree(tmp_path, {"Dockerfile": "FROM alpine\nCMD sh\n"}), "html")
    cards = {numeral: status for status, numeral in re.findall(r'<div class="factor ([a-z-]+)" data-factor="([IVX]+)">', html)}
    assert cards["II"] == cards["IX"] == cards["X"] == "findings"
    assert cards["III"] == "no-findings" and len(cards) == 12


def test_audit_scorecard_shows_the_verdicts(tmp_path):
    factors = {"III": {"status": "fail", "findings": 2}, "XI": {"status": "pass", "findings": 0}}
    html = render(Report(findings=[], files=[], factors=factors, root=str(tmp_path)), "html")
    assert '<div class="factor fail" data-factor="III">' in html
    assert '<div class="factor pass" data-factor="XI">' in html
    assert "run <code>twelvecheck audit</code>" not in html


def test_audit_scorecard_explains_each_verdict_and_links_the_deciding_rules(tmp_path):
    report = with_repository_finding(audited_repository(tmp_path))
    html = render(report, "html")
    assert f'<span class="score-value">{report.score}</span>' in html
    config_card = html[html.index('data-factor="III"'):html.index('data-factor="IV"')]
    assert report.factors["III"]["explanation"].split(",")[0] in config_card
    assert '<a class="rule-link" href="#rule-RP002" data-rule="RP002">RP002</a>' in config_card
    assert 'id="rule-RP002"' in html  # the link has a target
    for file in ("docker-entrypoint.sh", "compose.override.yaml", ".dockerignore", "app.py", ".env", "."):
        assert f'<section class="file" data-file="{file}">' in html, file
    assert html.count('<article class="finding') == len(report.findings)


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def run_chromium(browser: str, profile, *args: str) -> subprocess.CompletedProcess:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0"]
    return subprocess.run([browser, *flags, *args], capture_output=True, text=True, timeout=180)


def load_in_chromium(page, profile) -> str:
    """The DOM after the page's scripts ran; fails on any script error or console message."""
    dumped = run_chromium(chromium(), profile, "--dump-dom", page.as_uri())
    dom = dumped.stdout
    assert re.search(r'<body[^>]*data-ready="1"', dom), dumped.stderr[-2000:]
    assert "data-errors" not in dom
    assert not [line for line in dumped.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    return dom


@pytest.mark.skipif(chromium() is None, reason="chromium is not installed (scripts/test.sh installs it as root)")
def test_corpus_audit_report_renders_in_headless_chromium(tmp_path, corpus_repositories):
    report = audit(str(corpus_repositories["docker/awesome-compose"]), Config())
    validate_sarif(render(report, "sarif"))
    started = time.perf_counter()
    html = render(report, "html")
    rendered_in = time.perf_counter() - started
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")

    started = time.perf_counter()
    dom = load_in_chromium(page, tmp_path / "profile")
    loaded_in = time.perf_counter() - started
    assert dom.index('id="scorecard"') < dom.index('id="findings"')
    assert dom.count('data-factor="') == 12
    assert f'<span class="score-value">{report.score}</span>' in dom
    for numeral, verdict in report.factors.items():
        card = re.search(rf'<div class="factor ([a-z-]+)" data-factor="{numeral}">(.*?)</div>\s*</div>', dom, re.S)
        assert card.group(1) == verdict["status"], numeral
        assert html_escape(verdict["explanation"], quote=False) in card.group(2), numeral
        assert all(f'data-rule="{code}">{code}</a>' in card.group(2) for code in verdict["codes"]), numeral
    total = len(report.findings)
    assert dom.count('<article class="finding') == total > 100
    assert f'<span id="shown" class="summary">{total} of {total} shown</span>' in dom  # the filter script ran

    screenshot = tmp_path / "report.png"
    run_chromium(chromium(), tmp_path / "profile", f"--screenshot={screenshot}", "--window-size=1280,2000", page.as_uri())
    assert screenshot.stat().st_size > 10_000
    print(f"\nHTML report of the audit of docker/awesome-compose: {page} ({len(html.encode()):,} bytes, "
          f"{total} findings, score {report.score}; rendered in {rendered_in * 1000:.0f} ms, "
          f"loaded by headless Chromium in {loaded_in:.1f} s); screenshot: {screenshot}")


def test_rule_help_is_rendered_markdown_and_the_header_names_what_was_audited(tmp_path):
    import subprocess

    repository = tmp_path / "shop"
    (repository / "deploy").mkdir(parents=True)
    (repository / "deploy" / "Dockerfile").write_text("FROM debian\nUSER root\n")
    subprocess.run(["git", "init", "-q", str(repository)], check=True)
    subprocess.run(["git", "-C", str(repository), "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-q",
                    "--allow-empty", "-m", "x"], check=True)
    commit = subprocess.run(["git", "-C", str(repository), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    html = render(audit(str(repository / "deploy"), Config()), "html")
    assert "twelvecheck report: shop/deploy" in html and commit[:12] in html
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC", html)
    help_section = html[html.index('id="rules"'):]
    assert "## What it does" not in help_section and "<h4>What it does</h4>" in help_section
    assert '<pre><code class="language-dockerfile">' in help_section
    assert 'aria-label="Factor III: Config"' in html and '<span class="factor-label">Factor</span> III' in html
