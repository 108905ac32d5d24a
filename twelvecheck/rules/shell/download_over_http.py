from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules._fixes import make_fix, replace_in_word
from twelvecheck.rules.shell._base import ShellRule
from twelvecheck.parse.commands.utilities import CHECKSUM_TOOLS

_LOOPBACK = ("localhost", "127.0.0.1")


class DownloadOverHttp(ShellRule):
    """`curl` or `wget` fetching a plain `http://` URL.

    ## What it does
    Flags `curl` and `wget` URLs starting with `http://`, except loopback hosts (`localhost`,
    `127.0.0.1`, `[::1]`) and downloads the same RUN verifies (`sha256sum -c` and friends,
    `gpg --verify`, `gpgv`).

    ## Why is this bad?
    Anything on the path can replace a plain-HTTP download, and the build runs or ships what it
    receives. HTTPS (or a checksum verified in the same step) makes tampering visible.

    ## Example
    ```dockerfile
    FROM debian:12-slim
    RUN curl -fsSLo /tmp/tool.tgz http://example.com/tool.tgz
    ```

    Use instead:
    ```dockerfile
    FROM debian:12-slim
    RUN curl -fsSLo /tmp/tool.tgz https://example.com/tool.tgz
    ```

    ## Fix safety
    Unsafe: `http://` becomes `https://` in the URL; a server without HTTPS (or with another
    certificate name) now fails the download, and a few serve different content over HTTPS.

    ## References
    - binnacle rules `curlUseHttpsUrl` and `wgetUseHttpsUrl` (Henkel et al., ICSE 2020)
    """

    code = "SH035"
    name = "download-over-http"
    severity = "warning"
    aliases = {"binnacle": ("curlUseHttpsUrl", "wgetUseHttpsUrl")}
    fixable = True
    fix_safety = "unsafe"

    def check_script(self, ctx, run) -> Iterator[Finding]:
        if any(_verifies(run, command) for command in run.all_commands):
            return
        for command in run.all_commands:
            downloader = run.invocation(command) if command.name in ("curl", "wget") else None
            for url in downloader.urls if downloader is not None else ():
                host = url[len("http://"):].split("/", 1)[0].rsplit("@", 1)[-1]
                if url.lower().startswith("http://") and not host.startswith("[") \
                        and host.split(":", 1)[0].lower() not in _LOOPBACK:
                    yield Finding(run.command_span(command), f"{command.name} downloads {url} over plain HTTP",
                                  hint="use https://, or verify a checksum in the same RUN",
                                  fix=_https_fix(run, command, url))


def _verifies(run, command) -> bool:
    if command.name == "gpgv":
        return True
    if command.name in CHECKSUM_TOOLS or command.name in ("gpg", "gpg2"):
        invocation = run.invocation(command)
        return invocation.has("check") or invocation.has("verify")
    return False


def _https_fix(run, command, url):
    word = next((w for w in command.argv[1:] if w.value == url), None)
    if word is None:
        return None
    return make_fix("download over https://", replace_in_word(run, word, "http://", "https://"), safe=False)
