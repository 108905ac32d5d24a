"""A tiny read-only registry serving an OCI image layout, for what Debian's docker-registry cannot
show without TLS certificates: the bearer-token handshake (its ``auth: token`` needs a signing
certificate), and a registry that sends tampered bytes.  It answers the same GET routes as the
distribution API, plus ``/token`` (the realm) and ``/cdn/DIGEST``, where blobs may redirect under
the name ``localhost`` so that the client sees another host, as with a real CDN.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

TOKEN = "fake-token-for-tests"


class FakeRegistry:
    def __init__(self, layout: Path, *, require_token: bool = False, tampered: frozenset[str] = frozenset(),
                 redirect_blobs: bool = False):
        self.layout = layout
        self.require_token = require_token
        self.tampered = tampered  # digests whose blob is served with one byte flipped
        self.redirect_blobs = redirect_blobs
        self.requests: list[tuple[str, str | None]] = []  # (path, Authorization header)
        self.token_requests: list[dict[str, list[str]]] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.host = f"127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> FakeRegistry:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _blob(self, digest: str) -> bytes:
        data = (self.layout / "blobs" / "sha256" / digest.removeprefix("sha256:")).read_bytes()
        if digest in self.tampered:
            data = data[:-1] + bytes([data[-1] ^ 1])
        return data

    def _manifest(self, reference: str) -> tuple[str, bytes] | None:
        for entry in json.loads((self.layout / "index.json").read_text())["manifests"]:
            tag = entry.get("annotations", {}).get("org.opencontainers.image.ref.name")
            if reference in (tag, entry["digest"]):
                return entry["mediaType"], self._blob(entry["digest"])
        return None

    def _handler(self):
        registry = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                registry.requests.append((url.path, self.headers.get("Authorization")))
                if url.path == "/token":
                    registry.token_requests.append(parse_qs(url.query))
                    return self._send(200, "application/json", json.dumps({"token": TOKEN}).encode())
                if url.path.startswith("/cdn/"):
                    return self._send(200, "application/octet-stream", registry._blob(url.path[5:]))
                if registry.require_token and self.headers.get("Authorization") != f"Bearer {TOKEN}":
                    realm = f"http://{registry.host}/token"
                    return self._send(401, "application/json", b"{}", {"WWW-Authenticate":
                                      f'Bearer realm="{realm}",service="fake",scope="repository:lib/busybox:pull"'})
                parts = url.path.split("/")
                if url.path == "/v2/":
                    return self._send(200, "application/json", b"{}")
                if len(parts) >= 5 and parts[-2] == "blobs":
                    if registry.redirect_blobs:
                        cdn = registry.host.replace("127.0.0.1", "localhost")
                        return self._send(307, "text/plain", b"", {"Location": f"http://{cdn}/cdn/{parts[-1]}"})
                    return self._send(200, "application/octet-stream", registry._blob(parts[-1]))
                if len(parts) >= 5 and parts[-2] == "manifests" and (found := registry._manifest(parts[-1])):
                    return self._send(200, *found)
                self._send(404, "application/json", b"{}")

            def _send(self, status: int, content_type: str, body: bytes, headers: dict[str, str] = {}) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

        return Handler
