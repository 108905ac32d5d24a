"""``twelvecheck lsp``: a language server over stdio (the optional extra ``twelvecheck[lsp]``)."""

from __future__ import annotations

MISSING = "twelvecheck lsp needs pygls: pip install 'twelvecheck[lsp]'"


def available() -> bool:
    import importlib.util

    return importlib.util.find_spec("pygls") is not None


def serve() -> None:
    """Serve LSP over standard input and output until the client exits."""
    from twelvecheck.lsp.server import create_server

    create_server().start_io()
