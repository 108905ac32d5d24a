"""One renderer for rule documentation: `rule CODE`, `rules`, docs/rules/*.md, SARIF help.

A rule's docstring is its documentation, in fixed Markdown sections: a one-line summary,
``## What it does``, ``## Why is this bad?``, ``## Example`` (the bad block), ``Use instead:``
(the good block), then optional ``## Options``, ``## Fix safety``, ``## References``.

An example is one file (```` ```dockerfile ````, ```` ```yaml ````, or source code for the AP
semgrep rules) or, for rules that need several files, a ```` ```files ```` block in Go's txtar
form: a ``-- path --`` line starts each file, whose content runs to the next such line.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass

from twelvecheck.rules.base import Rule
from twelvecheck.lazy_re import lazy_compile

_FENCE = lazy_compile(r"```(\w*)\n(.*?)```", re.DOTALL)
# Where published rule pages will live; a reserved domain until the project has a real one.
DOCS_URL = "https://twelvecheck.invalid"
# The file a single-file example stands for; ``files`` examples name their own.
EXAMPLE_FILE_NAMES = {"dockerfile": "Dockerfile", "yaml": "compose.yaml"}
_TXTAR_HEADER = lazy_compile(r"^-- (\S.*?) --$")


@dataclass(frozen=True, slots=True)
class Example:
    language: str
    text: str


def docstring(rule: type[Rule]) -> str:
    return inspect.cleandoc(rule.__doc__ or "")


def examples(rule: type[Rule]) -> tuple[list[Example], list[Example]]:
    """The bad blocks (under ``## Example``) and good blocks (after ``Use instead:``)."""
    doc = docstring(rule)
    section = doc.split("## Example", 1)[1] if "## Example" in doc else ""
    section = re.split(r"\n## ", section, maxsplit=1)[0]
    bad_part, _, good_part = section.partition("Use instead:")
    found = lambda part: [Example(m.group(1), m.group(2)) for m in _FENCE.finditer(part)]  # noqa: E731
    return found(bad_part), found(good_part)


def example_files(example: Example) -> dict[str, str]:
    """The files an example stands for, path -> text: a ``files`` block's txtar entries, or the
    one file a ``dockerfile``/``yaml`` block is."""
    if example.language != "files":
        return {EXAMPLE_FILE_NAMES[example.language]: example.text}
    files: dict[str, list[str]] = {}
    current = None
    for line in example.text.splitlines(keepends=True):
        header = _TXTAR_HEADER.match(line.rstrip("\n"))
        if header:
            current = header.group(1)
            if current in files:
                raise ValueError(f"files example names {current!r} twice")
            files[current] = []
        elif current is not None:
            files[current].append(line)
        elif line.strip():
            raise ValueError(f"files example has text before its first '-- path --' line: {line!r}")
    if not files:
        raise ValueError("files example has no '-- path --' line")
    return {path: "".join(lines) for path, lines in files.items()}


def section(rule: type[Rule], title: str) -> str:
    """The text of one ``## title`` section of the rule's docs, or '' when it has none."""
    parts = re.split(r"^## (.+)$", docstring(rule), flags=re.MULTILINE)
    sections = dict(zip(parts[1::2], parts[2::2]))
    return sections.get(title, "").strip()


def help_uri(rule: type[Rule]) -> str:
    return f"{DOCS_URL}/rules/{rule.code}"


def _aliases_line(rule: type[Rule]) -> str:
    parts = [f"{tool}: {', '.join(names)}" for tool, names in rule.aliases.items() if names]
    return "; ".join(parts) or "none"


def render_markdown(rule: type[Rule]) -> str:
    doc = docstring(rule)
    summary, _, body = doc.partition("\n")
    header = [
        f"# {rule.code} {rule.name}",
        "",
        summary,
        "",
        f"- Severity: {rule.severity}",
        f"- Factors: {', '.join(rule.factors) or 'none'}",
        f"- Aliases: {_aliases_line(rule)}",
        f"- Status: {rule.status}{'' if rule.enabled_by_default else ' (off by default)'}",
    ]
    if rule.fixable:
        header.append("- Fix: safe (applied by --fix)" if rule.fix_safety == "safe"
                      else "- Fix: unsafe (applied with --unsafe-fixes; see Fix safety)")
    if rule.options:
        header.append("- Options: " + ", ".join(f"`{k}` (default `{v!r}`)" for k, v in rule.options.items()))
    return "\n".join(header) + "\n" + body.rstrip() + "\n"


def rules_json(rules: tuple[type[Rule], ...]) -> list[dict]:
    return [
        {
            "code": rule.code,
            "name": rule.name,
            "severity": rule.severity,
            "factors": list(rule.factors),
            "aliases": {tool: list(names) for tool, names in rule.aliases.items()},
            "status": rule.status,
            "enabled_by_default": rule.enabled_by_default,
            "kind": rule.kind,
            "summary": rule.summary(),
            "fixable": rule.fixable,
            "fix_safety": rule.fix_safety if rule.fixable else None,
        }
        for rule in rules
    ]


def rules_table(rules: tuple[type[Rule], ...]) -> str:
    lines = []
    for rule in rules:
        aliases = ",".join(rule.all_aliases()) or "-"
        factors = ",".join(rule.factors) or "-"
        default = "" if rule.enabled_by_default else " (off)"
        lines.append(f"{rule.code}  {rule.name:<40} {rule.severity:<8} {factors:<10} {aliases:<30} {rule.status}{default}")
    return "\n".join(lines) + "\n"


README_START, README_END = "<!-- rules:start -->", "<!-- rules:end -->"
FACTORS_START, FACTORS_END = "<!-- factors:start -->", "<!-- factors:end -->"


def readme_table(rules: tuple[type[Rule], ...]) -> str:
    """The README's rule table (between the markers), generated like everything else here."""
    rows = ["| code | name | severity | factors | aliases |", "|---|---|---|---|---|"]
    for rule in rules:
        aliases = ", ".join(f"`{alias}`" for alias in rule.all_aliases()) or ""
        default = "" if rule.enabled_by_default else " (off by default)"
        rows.append(f"| [{rule.code}](docs/rules/{rule.code}.md) | {rule.name} | {rule.severity}{default} | "
                    f"{', '.join(rule.factors)} | {aliases} |")
    return "\n".join(rows)


def factor_table(rules: tuple[type[Rule], ...]) -> str:
    """The README's table of rules per twelve-factor principle, from the rules' factor tags."""
    from twelvecheck.findings import FACTOR_TITLES

    rows = ["| Factor | Rules |", "|---|---|"]
    for factor, title in FACTOR_TITLES.items():
        tagged = ", ".join(f"{rule.code} {rule.name}" for rule in rules if factor in rule.factors)
        rows.append(f"| {factor} {title} | {tagged} |")
    return "\n".join(rows)


def _between(text: str, start: str, end: str, content: str) -> str:
    before, _, rest = text.partition(start)
    _, _, after = rest.partition(end)
    return f"{before}{start}\n{content}\n{end}{after}"


def generated_files(rules: tuple[type[Rule], ...], readme: str) -> dict[str, str]:
    """Relative path -> content of every generated documentation file."""
    files = {f"docs/rules/{rule.code}.md": render_markdown(rule) for rule in rules}
    readme = _between(readme, FACTORS_START, FACTORS_END, factor_table(rules))
    files["README.md"] = _between(readme, README_START, README_END, readme_table(rules))
    return files


def main() -> None:
    """Regenerate docs/rules/*.md and the README table: ``python -m twelvecheck.rules.docs``."""
    from pathlib import Path

    from twelvecheck.report import write_atomic
    from twelvecheck.rules.registry import all_rules

    root = Path.cwd()
    rules = all_rules()
    (root / "docs" / "rules").mkdir(parents=True, exist_ok=True)
    for stale in (root / "docs" / "rules").glob("*.md"):
        if stale.stem not in {rule.code for rule in rules}:
            stale.unlink()
    for relative, content in generated_files(rules, (root / "README.md").read_text(encoding="utf-8")).items():
        write_atomic(str(root / relative), content)


if __name__ == "__main__":
    main()
