"""From findings to LSP values: diagnostics, text edits, quick fixes, the ignore pragma.

Positions: a finding's ``Span`` is 1-based with an exclusive end, in characters (code points);
LSP positions are 0-based in UTF-16 code units (the encoding every client supports). The line's
text converts one into the other, so a finding after an emoji still underlines the right word.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from lsprotocol import types

from twelvecheck.findings import Edit, Finding
from twelvecheck.parse.model import Span

SOURCE = "twelvecheck"
SEVERITY = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning,
            "info": types.DiagnosticSeverity.Information, "style": types.DiagnosticSeverity.Hint}
_DOCS = Path(__file__).resolve().parents[2] / "docs" / "rules"  # a checkout's docs/rules/CODE.md


def utf16_column(line_text: str, column: int) -> int:
    """0-based UTF-16 offset of the 1-based character ``column`` in ``line_text``."""
    prefix = line_text[: max(column - 1, 0)]
    return len(prefix) + sum(1 for char in prefix if ord(char) > 0xFFFF)


def character_column(line_text: str, utf16: int) -> int:
    """1-based character column of the 0-based UTF-16 offset ``utf16``."""
    units = 0
    for index, char in enumerate(line_text):
        if units >= utf16:
            return index + 1
        units += 2 if ord(char) > 0xFFFF else 1
    return len(line_text) + 1


def to_range(span: Span, lines: list[str]) -> types.Range:
    return types.Range(start=_position(span.line, span.column, lines),
                       end=_position(max(span.end_line, span.line), span.end_column, lines))


def _position(line: int, column: int, lines: list[str]) -> types.Position:
    index = max(line - 1, 0)
    text = lines[index] if index < len(lines) else ""
    return types.Position(line=index, character=utf16_column(text.rstrip("\r\n"), column))


def docs_link(code: str) -> str:
    """The rule's page: docs/rules/CODE.md of this checkout when present, else the published one."""
    page = _DOCS / f"{code}.md"
    if page.is_file():
        return page.as_uri()
    from twelvecheck.rules.docs import DOCS_URL

    return f"{DOCS_URL}/rules/{code}"


def diagnostic(finding: Finding, lines: list[str], uri: str, key: int) -> types.Diagnostic:
    """``key`` is the finding's index in the server's list for the document (``data``), so a code
    action or a hover finds the finding (and its fix) again."""
    message = finding.message if not finding.hint else f"{finding.message} ({finding.hint})"
    related = [types.DiagnosticRelatedInformation(
        location=types.Location(uri=uri, range=to_range(Span.point(line), lines)), message=evidence.description)
        for evidence in finding.evidence for line in _evidence_lines(evidence.data)]
    verification = getattr(finding, "verification", None)
    if verification:
        message = f"{message} [{verification}]"
    return types.Diagnostic(
        range=to_range(finding.span, lines), message=message, severity=SEVERITY.get(finding.severity),
        code=finding.rule, code_description=types.CodeDescription(href=docs_link(finding.rule)),
        source=SOURCE, related_information=related or None,
        data={"key": key, "rule": finding.rule, "fixable": finding.fix is not None},
    )


def _evidence_lines(data: dict) -> list[int]:
    return [data[name] for name in ("instruction_line", "removed_at_line") if isinstance(data.get(name), int)]


def text_edit(edit: Edit, lines: list[str]) -> types.TextEdit:
    return types.TextEdit(range=to_range(edit.span, lines), new_text=edit.text)


def fix_action(finding: Finding, uri: str, lines: list[str], diagnostic_: types.Diagnostic) -> types.CodeAction:
    fix = finding.fix
    assert fix is not None
    return types.CodeAction(
        title=f"{fix.description} ({finding.rule})" + ("" if fix.safe else " [unsafe]"),
        kind=types.CodeActionKind.QuickFix, diagnostics=[diagnostic_], is_preferred=fix.safe,
        edit=types.WorkspaceEdit(changes={uri: [text_edit(edit, lines) for edit in fix.edits]}),
    )


def fix_all_action(rule: str, findings: list[Finding], uri: str, lines: list[str],
                   diagnostics: list[types.Diagnostic]) -> types.CodeAction | None:
    """Every fix of ``rule`` in the document at once, as the fixer applies them (non-overlapping,
    safe and unsafe: the editor user chooses the action); one edit replacing the whole text."""
    from twelvecheck.fix import apply_fixes

    text = "".join(lines)
    fixed, applied = apply_fixes(text, findings, unsafe=True)
    if applied < 2 or fixed == text:
        return None
    end = types.Position(line=len(lines), character=0)
    whole = types.Range(start=types.Position(line=0, character=0), end=end)
    unsafe = any(not finding.fix.safe for finding in findings if finding.fix is not None)
    return types.CodeAction(
        title=f"Fix all {rule} problems in this file ({applied})" + (" [unsafe]" if unsafe else ""),
        kind=types.CodeActionKind.QuickFix, diagnostics=diagnostics,
        edit=types.WorkspaceEdit(changes={uri: [types.TextEdit(range=whole, new_text=fixed)]}),
    )


def ignore_action(finding: Finding, uri: str, lines: list[str], target_line: int,
                  diagnostic_: types.Diagnostic) -> types.CodeAction:
    """Insert ``# twelvecheck ignore=CODE`` above ``target_line`` (1-based: the instruction or
    the YAML key the finding is on), or add the code to a pragma already there."""
    index = target_line - 1
    above = lines[index - 1].rstrip("\r\n") if index >= 1 else None
    if above is not None and above.strip().lower().startswith("# twelvecheck ignore="):
        end = types.Position(line=index - 1, character=utf16_column(above, len(above) + 1))
        edit = types.TextEdit(range=types.Range(start=end, end=end), new_text=f",{finding.rule}")
    else:
        current = lines[index] if index < len(lines) else ""
        indent = current[: len(current) - len(current.lstrip(" \t"))]
        start = types.Position(line=index, character=0)
        edit = types.TextEdit(range=types.Range(start=start, end=start),
                              new_text=f"{indent}# twelvecheck ignore={finding.rule}\n")
    return types.CodeAction(title=f"Ignore {finding.rule} ({finding.name}) here", kind=types.CodeActionKind.QuickFix,
                            diagnostics=[diagnostic_], edit=types.WorkspaceEdit(changes={uri: [edit]}))


@cache
def rule_markdown(rule: type | None) -> str | None:
    """The rule's documentation page (as ``twelvecheck rule CODE`` prints it)."""
    from twelvecheck.rules.docs import render_markdown

    return render_markdown(rule) if rule is not None else None


def same_file(a: str, b: str) -> bool:
    return os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b))
