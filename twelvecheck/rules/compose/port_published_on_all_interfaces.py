from __future__ import annotations

from collections.abc import Iterator

from dataclasses import replace

from twelvecheck.findings import Edit, Finding
from twelvecheck.parse.compose.nodes import Scalar
from twelvecheck.parse.model import Span
from twelvecheck.rules._fixes import make_fix, source_lines
from twelvecheck.rules.base import Rule


class PortPublishedOnAllInterfaces(Rule):
    """A published port without a host address: reachable on every interface (advice, off by default).

    ## What it does
    Reports `ports` entries with a host port but no host IP (`"5432:5432"`), which Docker binds to
    `0.0.0.0` and opens through the host firewall.

    ## Why is this bad?
    A database published this way on a laptop or server is reachable from the network. Often
    intended for web ports, hence `info` and off by default.

    ## Example
    ```yaml
    services:
      db:
        image: postgres:16.4
        ports: ["5432:5432"]
    ```

    Use instead:
    ```yaml
    services:
      db:
        image: postgres:16.4
        ports: ["127.0.0.1:5432:5432"]
    ```

    ## Fix safety
    Unsafe: other machines can no longer reach the port. The fix writes `127.0.0.1:` in front of
    a short-syntax port (`"8080:80"` becomes `"127.0.0.1:8080:80"`, `0.0.0.0:` is replaced);
    long-syntax ports and ports written with variables get no fix.
    """

    code = "DC013"
    name = "port-published-on-all-interfaces"
    severity = "info"
    kind = "compose"
    enabled_by_default = False
    fixable = True
    fix_safety = "unsafe"

    def check(self, ctx) -> Iterator[Finding]:
        for service in ctx.services.values():
            for port in service.ports:
                if port.published is not None and port.host_ip in (None, "0.0.0.0", "::"):
                    finding = ctx.finding(port.node, f"service '{service.name}' publishes port {port.published} on all interfaces",
                                          hint="bind to 127.0.0.1 unless other machines must reach it")
                    yield replace(finding, fix=_loopback_fix(port.node))


def _loopback_fix(node):
    if not isinstance(node, Scalar) or node.use_span is not None or "$" in node.raw or node.span.line != node.span.end_line:
        return None
    lines = source_lines(node.file)
    line = lines[node.span.line - 1] if node.span.line <= len(lines) else ""
    start = node.span.column - 1 + (1 if node.style in ("'", '"') else 0)
    if not line[start:].startswith(node.raw) or node.raw.count(":") < 1 or node.raw.startswith("["):
        return None
    at = node.span.line
    if node.raw.startswith("0.0.0.0:"):
        return make_fix("bind to 127.0.0.1", Edit(Span(at, start + 1, at, start + 8), "127.0.0.1"), safe=False)
    return make_fix("bind to 127.0.0.1", Edit(Span(at, start + 1, at, start + 1), "127.0.0.1:"), safe=False)
