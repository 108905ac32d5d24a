"""The language server: diagnostics as you type, quick fixes, rule docs on hover, verify.

Each open Dockerfile, compose file (with its override files) and .dockerignore is linted from
the editor's text, not the disk (``twelvecheck.files.Overlay``), so a compose file sees the
unsaved Dockerfile beside it. A change waits ``debounce`` seconds for the next keystroke, then
lints in a worker thread; a newer change cancels the waiting run, and a result for an older
version of the text is dropped, never published. ShellCheck (SH100) runs as a second pass: the
other rules' diagnostics appear without waiting for its process.
"""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from twelvecheck import __version__
from twelvecheck.config import Config, ConfigError, config_for, load_config
from twelvecheck.discover import Candidate, kind_of
from twelvecheck.engine import LINT_KINDS, Engine, display_path, skipped
from twelvecheck.files import Overlay
from twelvecheck.findings import Finding
from twelvecheck.lsp import convert

CONFIG_NAMES = (".twelvecheck.yaml", ".twelvecheck.yml", ".hadolint.yaml", ".hadolint.yml", "pyproject.toml")
LANGUAGE_KINDS = {"dockerfile": "dockerfile", "dockercompose": "compose", "docker-compose": "compose",
                  "ignore": "dockerignore", "dockerignore": "dockerignore"}
DEBOUNCE_SECONDS = 0.03
SHELLCHECK = "SH100"
_DEFAULT = Config()  # after a configuration error: the defaults, until the file is fixed
VERIFY_COMMAND = "twelvecheck.verify"


@dataclass
class Linted:
    """The findings published for one version of a document, with the text they were made on."""

    version: int | None
    findings: list[Finding]
    diagnostics: list[types.Diagnostic]
    lines: list[str]


class TwelvecheckServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("twelvecheck", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.debounce = DEBOUNCE_SECONDS
        self.linter = ThreadPoolExecutor(1, thread_name_prefix="twelvecheck-lint")
        self.pending: dict[str, asyncio.Task] = {}
        self.linted: dict[str, Linted] = {}
        self._configs: dict[str, Config] = {}
        self._engines: dict[tuple[str, bool], Engine] = {}

    # -- configuration -------------------------------------------------------------------------
    def root_for(self, path: str) -> str:
        """The workspace folder holding ``path`` (the deepest), else the file's directory."""
        folders = [to_fs_path(folder.uri) for folder in self.workspace.folders.values()]
        if self.workspace.root_path:
            folders.append(self.workspace.root_path)
        holding = [folder for folder in folders if folder and _inside(path, folder)]
        return max(holding, key=len) if holding else os.path.dirname(path)

    def config_for(self, root: str, path: str | None = None) -> Config:
        """The configuration of the file at ``path``: the one closest to it (as ``lint`` finds
        it), searched under the workspace folder ``root``'s command line; ``root``'s own without a path."""
        config = self._configs.get(root)
        try:
            if config is None:
                config = self._configs[root] = load_config(cwd=Path(root))
            return config if path is None else config_for(config, path)
        except ConfigError as error:
            self.window_show_message(types.ShowMessageParams(
                type=types.MessageType.Error, message=f"twelvecheck: configuration error: {error}"))
            config = self._configs[root] = _DEFAULT
            return config

    def engine_for(self, root: str, shellcheck_pass: bool, path: str | None = None) -> Engine:
        """The engine of the first pass (every rule but ShellCheck) or of the second (only it)."""
        config = self.config_for(root, path)
        key = (root, id(config), shellcheck_pass)
        engine = self._engines.get(key)
        if engine is None:
            if not shellcheck_pass:
                config = replace(config, ignore=(*config.ignore, SHELLCHECK))
            engine = Engine(config, LINT_KINDS, root)
            if shellcheck_pass:  # the same configuration, only ShellCheck (when it enables it)
                engine.active = [active for active in engine.active if active.info.code == SHELLCHECK]
            self._engines[key] = engine
        return engine

    def rule_class(self, code: str):
        """The class of a rule some engine runs (importing its module alone), else any rule's."""
        for engine in self._engines.values():
            for active in engine.active:
                if active.info.code == code:
                    return active.cls
        from twelvecheck.rules.registry import find_rule

        return find_rule(code)

    def forget_configuration(self) -> None:
        self._configs.clear()
        self._engines.clear()

    # -- linting -------------------------------------------------------------------------------
    def schedule(self, uri: str, delay: float) -> None:
        """Lint ``uri`` after ``delay`` seconds, replacing any run still waiting or working."""
        previous = self.pending.pop(uri, None)
        if previous is not None:
            previous.cancel()
        self.pending[uri] = asyncio.get_running_loop().create_task(self._lint_later(uri, delay))

    async def _lint_later(self, uri: str, delay: float) -> None:
        try:
            if delay:
                await asyncio.sleep(delay)
            for shellcheck_pass in (False, True):
                document = self.workspace.get_text_document(uri)
                job = self._job(uri, document.source, shellcheck_pass)
                if job is None:
                    return
                version = document.version
                loop = asyncio.get_running_loop()
                found = await loop.run_in_executor(self.linter, _run_job, *job)
                if self.workspace.get_text_document(uri).version != version:
                    return  # the text changed meanwhile: a newer run publishes
                if found or not shellcheck_pass:
                    self._publish(uri, version, found, extend=shellcheck_pass)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # never let one file take the server down
            self.window_log_message(types.LogMessageParams(
                type=types.MessageType.Error, message=f"twelvecheck: linting {uri} failed: {type(error).__name__}: {error}"))
        finally:
            if self.pending.get(uri) is asyncio.current_task():
                del self.pending[uri]

    def _job(self, uri: str, text: str, shellcheck_pass: bool):
        path = to_fs_path(uri)
        if not path:
            return None
        kind = self.kind_of(uri, path)
        if kind is None or (shellcheck_pass and kind != "dockerfile"):
            return None
        root = self.root_for(path)
        engine = self.engine_for(root, shellcheck_pass, path)
        if shellcheck_pass and not engine.active:
            return None
        if skipped(engine.config, Candidate(path, kind), display_path(path, root)):
            return None
        overlay = {to_fs_path(doc.uri): doc.source for doc in self.workspace.text_documents.values()
                   if to_fs_path(doc.uri)}
        overlay[path] = text
        return engine, _candidate(path, kind, overlay), root, overlay

    def kind_of(self, uri: str, path: str) -> str | None:
        kind = kind_of(os.path.basename(path))
        if kind in LINT_KINDS:
            return kind
        document = self.workspace.text_documents.get(uri)
        language = getattr(document, "language_id", None) or ""
        return LANGUAGE_KINDS.get(language.lower())

    def _publish(self, uri: str, version: int | None, found: list[Finding], extend: bool) -> None:
        """Diagnostics for the document and for the open files of its compose project."""
        path = to_fs_path(uri)
        by_uri: dict[str, list[Finding]] = {uri: []}
        for finding in found:
            target = uri if convert.same_file(finding.file, path) else from_fs_path(finding.file)
            if target == uri or target in self.workspace.text_documents:
                by_uri.setdefault(target, []).append(finding)
        for target, findings in by_uri.items():
            document = self.workspace.get_text_document(target)
            previous = self.linted.get(target)
            if extend and previous is not None:
                findings = sorted(previous.findings + findings, key=lambda f: f.sort_key)
            lines = document.source.splitlines(keepends=True)
            diagnostics = [convert.diagnostic(f, lines, target, index) for index, f in enumerate(findings)]
            doc_version = version if target == uri else document.version
            self.linted[target] = Linted(doc_version, findings, diagnostics, lines)
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=target, diagnostics=diagnostics, version=doc_version))

    def relint_all(self) -> None:
        for uri in list(self.workspace.text_documents):
            self.schedule(uri, 0)

    def clear(self, uri: str) -> None:
        task = self.pending.pop(uri, None)
        if task is not None:
            task.cancel()
        self.linted.pop(uri, None)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


def _inside(path: str, folder: str) -> bool:
    return os.path.commonpath([os.path.abspath(path), os.path.abspath(folder)]) == os.path.abspath(folder)


def _candidate(path: str, kind: str, open_texts: dict[str, str]) -> Candidate:
    """The file as the CLI would lint it; a compose file with its override files (an override
    file with its base file: compose reads them together)."""
    if kind != "compose":
        return Candidate(path, kind)
    directory, name = os.path.split(path)
    stem, _, _ = name.rpartition(".")
    if stem.endswith(".override"):
        base = stem.removesuffix(".override")
        for ext in ("yaml", "yml"):
            base_path = os.path.join(directory, f"{base}.{ext}")
            if os.path.isfile(base_path) or base_path in open_texts:
                return Candidate(base_path, "compose", companions=(path,))
        return Candidate(path, "compose")
    overrides = tuple(os.path.join(directory, f"{stem}.override.{ext}") for ext in ("yaml", "yml"))
    return Candidate(path, "compose", companions=tuple(
        override for override in overrides if os.path.isfile(override) or override in open_texts))


def _run_job(engine: Engine, candidate: Candidate, root: str, overlay: dict[str, str]) -> list[Finding]:
    """Lint one file (in the worker thread) with the editor's texts standing for the disk's."""
    with Overlay(overlay):
        found, _ = engine.lint_file(candidate, display_path(candidate.path, root))
    located = [replace(f, file=os.path.normpath(os.path.join(root, f.file))) for f in found]
    return sorted(located, key=lambda f: f.sort_key)


def create_server() -> TwelvecheckServer:
    server = TwelvecheckServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: TwelvecheckServer, params: types.InitializeParams) -> None:
        options = params.initialization_options or {}
        if isinstance(options, dict) and isinstance(options.get("debounceMs"), (int, float)):
            ls.debounce = max(0.0, options["debounceMs"] / 1000)

    @server.feature(types.INITIALIZED)
    async def initialized(ls: TwelvecheckServer, params: types.InitializedParams) -> None:
        watchers = [types.FileSystemWatcher(glob_pattern=f"**/{name}") for name in CONFIG_NAMES]
        registration = types.Registration(
            id="twelvecheck-config", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers))
        dynamic = ls.client_capabilities.workspace and ls.client_capabilities.workspace.did_change_watched_files
        if dynamic and dynamic.dynamic_registration:
            try:
                await ls.client_register_capability_async(types.RegistrationParams(registrations=[registration]))
            except Exception:  # a client that refuses: saving a config file in the editor still works
                pass

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: TwelvecheckServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: TwelvecheckServer, params: types.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        if _is_config(uri):
            return
        ls.schedule(uri, ls.debounce)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: TwelvecheckServer, params: types.DidSaveTextDocumentParams) -> None:
        if _is_config(params.text_document.uri):
            ls.forget_configuration()
            ls.relint_all()
        else:
            ls.schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: TwelvecheckServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.clear(params.text_document.uri)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched_files_changed(ls: TwelvecheckServer, params: types.DidChangeWatchedFilesParams) -> None:
        if any(_is_config(change.uri) for change in params.changes):
            ls.forget_configuration()
            ls.relint_all()

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
    def code_actions(ls: TwelvecheckServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        linted = ls.linted.get(uri)
        if linted is None or linted.version != ls.workspace.get_text_document(uri).version:
            return []  # edits computed on another text would land in the wrong place
        kind = ls.kind_of(uri, to_fs_path(uri) or "")
        actions = []
        offered_all = set()
        for finding, diagnostic in zip(linted.findings, linted.diagnostics):
            if not _overlaps(diagnostic.range, params.range):
                continue
            if finding.fix is not None:
                actions.append(convert.fix_action(finding, uri, linted.lines, diagnostic))
                if finding.rule not in offered_all:
                    offered_all.add(finding.rule)
                    same = [(f, d) for f, d in zip(linted.findings, linted.diagnostics)
                            if f.rule == finding.rule and f.fix is not None]
                    every = convert.fix_all_action(finding.rule, [f for f, _ in same], uri, linted.lines,
                                                   [d for _, d in same])
                    if every is not None:
                        actions.append(every)
            if kind in ("dockerfile", "compose") and not finding.rule.startswith("TC"):
                line = _pragma_line(finding, linted.lines, kind)
                actions.append(convert.ignore_action(finding, uri, linted.lines, line, diagnostic))
        return actions

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: TwelvecheckServer, params: types.HoverParams) -> types.Hover | None:
        linted = ls.linted.get(params.text_document.uri)
        if linted is None:
            return None
        point = types.Range(start=params.position, end=params.position)
        pages = []
        for diagnostic in linted.diagnostics:
            if _overlaps(diagnostic.range, point) and diagnostic.code:
                page = convert.rule_markdown(ls.rule_class(str(diagnostic.code)))
                if page and page not in pages:
                    pages.append(page)
        if not pages:
            return None
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(pages)))

    @server.command(VERIFY_COMMAND)
    async def verify(ls: TwelvecheckServer, *args: Any) -> dict:
        uri = args[0] if args and isinstance(args[0], str) else (args[0].get("uri") if args and isinstance(args[0], dict) else None)
        if not uri:
            return {"ok": False, "message": f"{VERIFY_COMMAND} takes the Dockerfile's URI"}
        return await _verify(ls, uri)

    return server


async def _verify(ls: TwelvecheckServer, uri: str) -> dict:
    """Run ``twelvecheck.verify`` on the Dockerfile (build it, judge each finding against the
    image) and publish its findings, evidence attached as related information."""
    import twelvecheck

    try:
        run = twelvecheck.verify
    except AttributeError:
        message = "twelvecheck verify is not available in this installation (it needs a version with `twelvecheck verify`)"
        ls.window_show_message(types.ShowMessageParams(type=types.MessageType.Warning, message=message))
        return {"ok": False, "message": message}
    path = to_fs_path(uri)
    root = ls.root_for(path)
    config = ls.config_for(root, path)
    loop = asyncio.get_running_loop()
    try:
        report = await loop.run_in_executor(ls.linter, _call_verify, run, path, config)
    except Exception as error:
        message = f"twelvecheck verify failed: {type(error).__name__}: {error}"
        ls.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=message))
        return {"ok": False, "message": message}
    findings = [replace(f, file=os.path.abspath(f.file)) for f in report.findings]  # relative to the working directory
    ls._publish(uri, ls.workspace.get_text_document(uri).version, findings, extend=False)
    return {"ok": True, "findings": len(findings)}


def _call_verify(run, path: str, config: Config):
    """``verify`` with the arguments its signature takes (context, Dockerfile, configuration)."""
    import inspect

    parameters = inspect.signature(run).parameters
    options: dict[str, Any] = {}
    for name, value in (("dockerfile", path), ("config", config)):
        if name in parameters:
            options[name] = value
    context = os.path.dirname(path)
    return run(context, **options) if parameters else run()


def _is_config(uri: str) -> bool:
    return os.path.basename(to_fs_path(uri) or "") in CONFIG_NAMES


def _overlaps(a: types.Range, b: types.Range) -> bool:
    start = lambda r: (r.start.line, r.start.character)  # noqa: E731
    end = lambda r: (r.end.line, r.end.character)  # noqa: E731
    return start(a) <= end(b) and start(b) <= end(a)


def _pragma_line(finding: Finding, lines: list[str], kind: str) -> int:
    """Where the pragma goes: above the instruction holding the finding (a Dockerfile pragma
    covers the next instruction); in YAML above the finding's own key."""
    if kind != "dockerfile":
        return finding.span.line
    from twelvecheck.parse.dockerfile import parse

    for instruction in parse("".join(lines), "Dockerfile").instructions:
        if instruction.span.line <= finding.span.line <= instruction.span.end_line:
            return instruction.span.line
    return finding.span.line
