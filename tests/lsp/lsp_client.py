"""A real LSP client (pygls's) driving ``twelvecheck lsp`` over stdio, for tests and benches."""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

SERVER = [sys.executable, "-m", "twelvecheck", "lsp"]


class Session:
    """A started server with the diagnostics it published, per URI, in order of arrival."""

    def __init__(self, root: Path, command: list[str] | None = None, debounce_ms: int | None = None):
        self.root = root
        self.command = command or SERVER
        self.debounce_ms = debounce_ms
        self.client = LanguageClient("twelvecheck-tests", "1")
        self.published: dict[str, list[types.PublishDiagnosticsParams]] = {}
        self.arrived = asyncio.Condition()
        self.versions: dict[str, int] = {}
        self.messages: list[str] = []

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        async def diagnostics(params: types.PublishDiagnosticsParams) -> None:
            self.published.setdefault(params.uri, []).append(params)
            async with self.arrived:
                self.arrived.notify_all()

        @self.client.feature(types.WINDOW_SHOW_MESSAGE)
        def show(params: types.ShowMessageParams) -> None:
            self.messages.append(params.message)

        @self.client.feature(types.CLIENT_REGISTER_CAPABILITY)
        def register(params: types.RegistrationParams) -> None:
            return None

    async def __aenter__(self) -> Session:
        await self.client.start_io(*self.command, cwd=str(self.root))
        options = {"debounceMs": self.debounce_ms} if self.debounce_ms is not None else None
        await self.client.initialize_async(types.InitializeParams(
            capabilities=types.ClientCapabilities(workspace=types.WorkspaceClientCapabilities(
                did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(dynamic_registration=True))),
            root_uri=self.root.as_uri(), initialization_options=options,
            workspace_folders=[types.WorkspaceFolder(uri=self.root.as_uri(), name="root")]))
        self.client.initialized(types.InitializedParams())
        return self

    async def __aexit__(self, *exc: object) -> None:
        try:
            await asyncio.wait_for(self.client.shutdown_async(None), 10)
            self.client.exit(None)
        finally:
            await self.client.stop()

    def uri(self, name: str) -> str:
        return (self.root / name).as_uri()

    def open(self, name: str, text: str, language: str = "dockerfile") -> str:
        uri = self.uri(name)
        self.versions[uri] = 1
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)))
        return uri

    def change(self, name: str, text: str) -> int:
        """Replace the whole text (as a full-document change event)."""
        uri = self.uri(name)
        self.versions[uri] += 1
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))
        return self.versions[uri]

    def edit(self, name: str, line: int, character: int, text: str) -> int:
        """Insert ``text`` at a position (an incremental change event, as editors send)."""
        uri = self.uri(name)
        self.versions[uri] += 1
        position = types.Position(line=line, character=character)
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
            content_changes=[types.TextDocumentContentChangePartial(
                range=types.Range(start=position, end=position), text=text)]))
        return self.versions[uri]

    def save(self, name: str) -> None:
        self.client.text_document_did_save(types.DidSaveTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=self.uri(name))))

    def close(self, name: str) -> None:
        self.client.text_document_did_close(types.DidCloseTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=self.uri(name))))

    async def diagnostics(self, name: str, version: int | None = None, after: int = 0, timeout: float = 30,
                          where=None) -> list[types.Diagnostic]:
        """The first diagnostics published for ``name`` after the ``after``-th publication (for
        ``version`` when given) that satisfy ``where``."""
        uri = self.uri(name)
        deadline = time.monotonic() + timeout

        def found():
            for params in self.published.get(uri, [])[after:]:
                if (version is None or params.version == version) and (where is None or where(params.diagnostics)):
                    return params.diagnostics
            return None

        async with self.arrived:
            while (result := found()) is None:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"no diagnostics for {name} (version {version}); got {self.published.get(uri)}")
                try:
                    await asyncio.wait_for(self.arrived.wait(), remaining)
                except asyncio.TimeoutError:
                    pass
        return result

    def count(self, name: str) -> int:
        return len(self.published.get(self.uri(name), []))


def codes(diagnostics: list[types.Diagnostic]) -> list[str]:
    return [str(d.code) for d in diagnostics]


def apply_edits(text: str, edits: list[types.TextEdit]) -> str:
    """Apply LSP text edits (UTF-16 positions) as a client does, from the last to the first."""
    lines = text.splitlines(keepends=True) or [""]

    def offset(position: types.Position) -> int:
        before = sum(len(line) for line in lines[: position.line])
        line = lines[position.line] if position.line < len(lines) else ""
        units = index = 0
        while index < len(line) and units < position.character:
            units += 2 if ord(line[index]) > 0xFFFF else 1
            index += 1
        return before + index

    spans = sorted(((offset(e.range.start), offset(e.range.end), e.new_text) for e in edits), reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text
