"""``twelvecheck lsp`` driven by a real LSP client over stdio: the server runs as a subprocess,
exactly as an editor starts it."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
import yaml

pytest.importorskip("pygls", reason="the lsp extra (pygls) is not installed")

from lsp_client import Session, apply_edits, codes  # noqa: E402
from lsprotocol import types  # noqa: E402

CASES = Path(__file__).resolve().parents[1] / "rules" / "cases"
README = Path(__file__).resolve().parents[2] / "README.md"


def run(coroutine):
    return asyncio.run(asyncio.wait_for(coroutine, 120))


def _cli_ranges(directory: Path, name: str, text: str) -> dict[str, types.Range]:
    """What ``twelvecheck lint`` reports for the same text, as LSP ranges (ASCII text)."""
    from twelvecheck.engine import lint

    (directory / name).write_text(text)
    return {f.rule: types.Range(start=types.Position(line=f.span.line - 1, character=f.span.column - 1),
                                end=types.Position(line=f.span.end_line - 1, character=f.span.end_column - 1))
            for f in lint([str(directory / name)]).findings}


def test_open_change_save_close_of_a_dockerfile(tmp_path):
    text = "FROM debian\nUSER app\n"
    expected = _cli_ranges(tmp_path / "..", "Dockerfile.cli", text)

    async def scenario():
        async with Session(tmp_path) as session:
            session.open("Dockerfile", text)
            first = await session.diagnostics("Dockerfile", version=1, where=lambda d: "DF001" in codes(d))
            assert {d.code: d.range for d in first} == expected  # same findings, same ranges as the CLI
            untagged = next(d for d in first if d.code == "DF001")
            assert untagged.severity == types.DiagnosticSeverity.Warning and untagged.source == "twelvecheck"
            assert untagged.code_description.href.endswith("/rules/DF001.md")

            version = session.change("Dockerfile", "FROM debian:12.5\nUSER app\n")
            fixed = await session.diagnostics("Dockerfile", version=version)
            assert "DF001" not in codes(fixed)

            published = session.count("Dockerfile")
            session.save("Dockerfile")
            again = await session.diagnostics("Dockerfile", after=published)
            assert codes(again) == codes(fixed)

            session.close("Dockerfile")
            closed = await session.diagnostics("Dockerfile", after=published + 1, where=lambda d: not d)
            assert list(closed) == []

    run(scenario())


def test_compose_override_and_dockerignore_diagnostics(tmp_path):
    (tmp_path / "compose.yaml").write_text("services:\n  app:\n    image: example/app:1.4\n")
    override = "services:\n  app:\n    privileged: true\n"
    (tmp_path / ".env").write_text("A=1\n")
    (tmp_path / "Dockerfile").write_text("FROM debian:12.5\n")  # the directory is a build context

    async def scenario():
        async with Session(tmp_path) as session:
            session.open("compose.override.yaml", override, language="yaml")
            found = await session.diagnostics("compose.override.yaml", where=lambda d: "DC001" in codes(d))
            privileged = next(d for d in found if d.code == "DC001")
            assert privileged.range.start.line == 2  # the key in the override file, not the base

            session.open(".dockerignore", "node_modules\n", language="ignore")
            ignored = await session.diagnostics(".dockerignore", where=lambda d: "DI001" in codes(d))
            assert next(d for d in ignored if d.code == "DI001").range.start.line == 0

            # the base file as the editor has it (unsaved) is what the override merges with
            session.open("compose.yaml", "services:\n  app:\n    image: example/app:1.4\n    network_mode: host\n",
                         language="yaml")
            base = await session.diagnostics("compose.yaml", where=lambda d: bool(d))
            assert all(d.range.start.line < 4 for d in base)

    run(scenario())


def _fix_cases():
    for path in sorted(CASES.glob("*.yml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            if "fix" in case and not case.get("files"):
                yield pytest.param(path.stem, case, id=f"{path.stem}-{case['name']}")


@pytest.mark.parametrize(("code", "case"), list(_fix_cases()))
def test_quick_fixes_give_the_fix_cases_text(tmp_path, code, case):
    name = case.get("file", "Dockerfile")
    text = case["fail"]
    # the rule may be off by default (hardening advice): the workspace's configuration turns it on
    (tmp_path / ".twelvecheck.yaml").write_text(f"extend-select: [{code}]\n")

    async def scenario():
        async with Session(tmp_path) as session:
            session.open(name, text, language="yaml" if name.endswith((".yaml", ".yml")) else "dockerfile")
            found = await session.diagnostics(name, where=lambda d: code in codes(d))
            diagnostic = next(d for d in found if d.code == code)
            actions = await session.client.text_document_code_action_async(types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=session.uri(name)), range=diagnostic.range,
                context=types.CodeActionContext(diagnostics=[diagnostic])))
            # one finding: its own quick fix; several: the action fixing all of them at once
            several = [a for a in actions if a.title.startswith(f"Fix all {code} ")]
            fixes = several or [a for a in actions if f"({code})" in a.title and not a.title.startswith("Ignore")]
            assert fixes, [a.title for a in actions]
            assert len([d for d in found if d.code == code and d.data["fixable"]]) == 1 or several
            assert apply_edits(text, fixes[0].edit.changes[session.uri(name)]) == case["fix"]

    run(scenario())


def test_ignore_this_rule_here_inserts_the_pragma_above_the_instruction(tmp_path):
    text = "FROM debian:12.5\nRUN cd /tmp && \\\n    make\nUSER app\n"

    async def scenario():
        async with Session(tmp_path) as session:
            session.open("Dockerfile", text)
            found = await session.diagnostics("Dockerfile", where=lambda d: "SH004" in codes(d))
            diagnostic = next(d for d in found if d.code == "SH004")
            actions = await session.client.text_document_code_action_async(types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=session.uri("Dockerfile")), range=diagnostic.range,
                context=types.CodeActionContext(diagnostics=[diagnostic])))
            ignore = next(a for a in actions if a.title.startswith("Ignore SH004"))
            ignored = apply_edits(text, ignore.edit.changes[session.uri("Dockerfile")])
            assert ignored == "FROM debian:12.5\n# twelvecheck ignore=SH004\nRUN cd /tmp && \\\n    make\nUSER app\n"
            version = session.change("Dockerfile", ignored)
            after = await session.diagnostics("Dockerfile", version=version)
            assert "SH004" not in codes(after) and "TC001" not in codes(after)

    run(scenario())


def test_a_config_change_relints_the_open_files(tmp_path):
    async def scenario():
        async with Session(tmp_path) as session:
            session.open("Dockerfile", "FROM debian\nUSER root\n")
            await session.diagnostics("Dockerfile", where=lambda d: {"DF001", "DF003"} <= set(codes(d)))
            published = session.count("Dockerfile")
            (tmp_path / ".twelvecheck.yaml").write_text("ignore: [DF001]\n")
            session.client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
                types.FileEvent(uri=session.uri(".twelvecheck.yaml"), type=types.FileChangeType.Created)]))
            after = await session.diagnostics("Dockerfile", after=published, where=lambda d: "DF001" not in codes(d))
            assert "DF003" in codes(after)  # the rest is still reported

            published = session.count("Dockerfile")
            (tmp_path / ".twelvecheck.yaml").unlink()
            (tmp_path / ".hadolint.yaml").write_text("ignored: [DL3002]\n")  # DF003's hadolint alias
            session.client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
                types.FileEvent(uri=session.uri(".twelvecheck.yaml"), type=types.FileChangeType.Deleted),
                types.FileEvent(uri=session.uri(".hadolint.yaml"), type=types.FileChangeType.Created)]))
            back = await session.diagnostics("Dockerfile", after=published, where=lambda d: "DF001" in codes(d))
            assert "DF003" not in codes(back)

    run(scenario())


def test_each_file_gets_its_nearest_configuration(tmp_path):
    (tmp_path / ".twelvecheck.yaml").write_text("ignore: [DF001]\n")
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / ".twelvecheck.yaml").write_text("ignore: [DF003]\n")  # its own, not extending the root's

    async def scenario():
        async with Session(tmp_path) as session:
            session.open("Dockerfile", "FROM debian\nUSER root\n")
            session.open("svc/Dockerfile", "FROM debian\nUSER root\n")
            root = await session.diagnostics("Dockerfile", where=lambda d: "DF003" in codes(d))
            assert "DF001" not in codes(root)
            svc = await session.diagnostics("svc/Dockerfile", where=lambda d: "DF001" in codes(d))
            assert "DF003" not in codes(svc)

            published = session.count("svc/Dockerfile")
            (tmp_path / "svc" / ".twelvecheck.yaml").write_text("extends: ../.twelvecheck.yaml\n")
            session.client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
                types.FileEvent(uri=session.uri("svc/.twelvecheck.yaml"), type=types.FileChangeType.Changed)]))
            after = await session.diagnostics("svc/Dockerfile", after=published, where=lambda d: "DF003" in codes(d))
            assert "DF001" not in codes(after)

    run(scenario())


def test_a_parse_error_while_typing_is_a_diagnostic_and_the_server_goes_on(tmp_path):
    async def scenario():
        async with Session(tmp_path, debounce_ms=0) as session:
            session.open("Dockerfile", "FROM debian:12.5\n")
            await session.diagnostics("Dockerfile", version=1)
            broken = None
            for partial in ("FROM debian:12.5\nRUN <<EOF\necho hi\n", "FROM debian:12.5\nCOPY --from=\n",
                            "FROM debian:12.5\nRUN [\"sh\", \n", "FROM debian:12.5\nONBUILD\n", "FROM \\\n"):
                version = session.change("Dockerfile", partial)
                found = await session.diagnostics("Dockerfile", version=version)
                assert "TC004" not in codes(found)  # no rule crashed
                broken = broken or next((d for d in found if d.severity == types.DiagnosticSeverity.Error), None)
            assert broken is not None and broken.range.start.line >= 0
            version = session.change("Dockerfile", "FROM debian\n")
            assert "DF001" in codes(await session.diagnostics("Dockerfile", version=version))

    run(scenario())


def test_typing_quickly_publishes_only_the_last_text(tmp_path):
    async def scenario():
        async with Session(tmp_path, debounce_ms=200) as session:
            session.open("Dockerfile", "FROM debian:12.5\n")
            await session.diagnostics("Dockerfile", version=1)
            published = session.count("Dockerfile")
            for character, letter in enumerate("USER root"):
                last = session.edit("Dockerfile", 1, character, letter)
            await session.diagnostics("Dockerfile", version=last, after=published)
            versions = [p.version for p in session.published[session.uri("Dockerfile")][published:]]
            assert set(versions) == {last}, versions  # the intermediate texts were never linted

    run(scenario())


def test_hover_shows_the_rule_documentation(tmp_path):
    async def scenario():
        async with Session(tmp_path) as session:
            session.open("Dockerfile", "FROM debian\nUSER app\n")
            await session.diagnostics("Dockerfile", where=lambda d: "DF001" in codes(d))
            hover = await session.client.text_document_hover_async(types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=session.uri("Dockerfile")),
                position=types.Position(line=0, character=7)))
            assert hover.contents.kind == types.MarkupKind.Markdown
            assert hover.contents.value.startswith("# DF001") and "## What it does" in hover.contents.value
            nothing = await session.client.text_document_hover_async(types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=session.uri("Dockerfile")),
                position=types.Position(line=1, character=2)))
            assert nothing is None

    run(scenario())


def test_verify_command_answers_clearly(tmp_path):
    import twelvecheck

    async def scenario():
        async with Session(tmp_path) as session:
            uri = session.open("Dockerfile", "FROM scratch\n")
            await session.diagnostics("Dockerfile", version=1)
            result = await session.client.workspace_execute_command_async(types.ExecuteCommandParams(
                command="twelvecheck.verify", arguments=[uri]))
            return result

    result = run(scenario())
    if not hasattr(twelvecheck, "verify"):
        assert result["ok"] is False and "verify is not available" in result["message"]
    else:
        assert isinstance(result["ok"], bool)


def test_the_readme_neovim_snippet_command_starts_the_server(tmp_path):
    snippet = re.search(r"```lua\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
    assert snippet, "README has no Neovim (lua) snippet"
    command = re.search(r"cmd\s*=\s*\{([^}]*)\}", snippet.group(1))
    words = re.findall(r"['\"]([^'\"]+)['\"]", command.group(1))
    assert words[0] == "twelvecheck"
    import shutil
    import sys

    executable = shutil.which("twelvecheck") or str(Path(sys.executable).parent / "twelvecheck")

    async def scenario():
        async with Session(tmp_path, command=[executable, *words[1:]]) as session:
            session.open("Dockerfile", "FROM debian\n")
            return await session.diagnostics("Dockerfile", where=lambda d: "DF001" in codes(d))

    assert run(scenario())
