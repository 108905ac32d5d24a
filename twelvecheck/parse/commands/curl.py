"""curl (curl(1)). Every option that takes a value is declared, so operands are exactly the URLs."""

from __future__ import annotations

from dataclasses import dataclass

from twelvecheck.parse.commands._invocation import Invocation, build
from twelvecheck.parse.commands._options import OptionTable, flag, valued
from twelvecheck.parse.shell import Command, Word

_VALUED = {
    "output": "o", "retry": None, "proto": None, "proto-redir": None, "header": "H",
    "user": "u", "data": "d", "data-raw": None, "data-binary": None, "data-urlencode": None,
    "request": "X", "user-agent": "A", "cacert": None, "capath": None, "cert": "E", "key": None,
    "connect-timeout": None, "max-time": "m", "retry-delay": None, "retry-max-time": None,
    "url": None, "write-out": "w", "config": "K", "referer": "e", "form": "F", "cookie": "b",
    "cookie-jar": "c", "dump-header": "D", "range": "r", "continue-at": "C", "proxy": "x",
    "upload-file": "T", "output-dir": None, "limit-rate": None, "resolve": None,
    "interface": None, "oauth2-bearer": None, "max-redirs": None, "time-cond": "z",
    "speed-limit": "Y", "speed-time": "y", "trace": None, "trace-ascii": None, "stderr": None,
    "ciphers": None, "tls-max": None, "pinnedpubkey": None, "proxy-user": "U",
    "quote": "Q", "form-string": None, "url-query": None, "variable": None, "json": None,
}
_FLAGS = {
    "fail": "f", "fail-with-body": None, "location": "L", "insecure": "k", "remote-name": "O",
    "silent": "s", "show-error": "S", "verbose": "v", "include": "i", "head": "I",
    "remote-header-name": "J", "globoff": "g", "netrc": "n", "parallel": "Z",
    "progress-bar": "#", "compressed": None, "create-dirs": None, "retry-all-errors": None,
    "retry-connrefused": None, "no-progress-meter": None, "ssl-reqd": None, "http1.1": None,
    "http2": None, "tlsv1.2": None, "tlsv1.3": None, "remote-name-all": None,
    "location-trusted": None, "ipv4": "4", "ipv6": "6", "list-only": "l", "append": "a",
    "use-ascii": "B", "get": "G", "junk-session-cookies": "j", "no-buffer": "N",
    "proxy-insecure": None, "doh-insecure": None,
}


def _spellings(name: str, short: str | None) -> tuple[str, ...]:
    return (f"--{name}", f"-{short}") if short else (f"--{name}",)


TABLE = OptionTable(
    *(valued(name, *_spellings(name, short)) for name, short in _VALUED.items()),
    *(flag(name, *_spellings(name, short)) for name, short in _FLAGS.items()),
)


@dataclass(frozen=True, slots=True)
class CurlInvocation(Invocation):
    @property
    def urls(self) -> list[str]:
        return [word.value for word in self.operands] + self.values("url")

    @property
    def fails_on_http_error(self) -> bool:
        return self.has("fail") or self.has("fail-with-body")

    @property
    def follows_redirects(self) -> bool:
        return self.has("location") or self.has("location-trusted")

    @property
    def disables_tls_verification(self) -> bool:
        return self.has("insecure") or self.has("proxy-insecure") or self.has("doh-insecure")

    @property
    def output(self) -> str | None:
        return self.value("output")

    @property
    def writes_stdout(self) -> bool:
        """The body goes to stdout (``curl url | sh``): no -o/-O/--output-dir given."""
        saves = ("output", "remote-name", "remote-name-all")
        return not any(self.has(option) for option in saves) or self.output == "-"


def parse(command: Command, words: tuple[Word, ...]) -> CurlInvocation:
    return build(CurlInvocation, "curl", command, words, TABLE)
