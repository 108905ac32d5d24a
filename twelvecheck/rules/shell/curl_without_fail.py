from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules._fixes import option_fix
from twelvecheck.rules.shell._base import ShellRule


class CurlWithoutFail(ShellRule):
    """`curl` whose output is used, without `-f`.

    ## What it does
    Flags `curl` without `-f`/`--fail` (or `--fail-with-body`) when its output is used: saved
    with `-o`/`-O`, piped into another command, redirected to a file, or captured by `$(...)`.
    A `curl` that checks the status itself (`-w '%{http_code}'`) is not flagged.

    ## Why is this bad?
    Without `-f` curl exits 0 on an HTTP error and hands on the error page: a 404 page is saved
    as the tarball or piped into `sh`, and the step fails later with a confusing error, or not
    at all.

    ## Example
    ```dockerfile
    FROM debian:12-slim
    RUN curl -sSLo /tmp/tool.tgz https://example.com/tool.tgz
    ```

    Use instead:
    ```dockerfile
    FROM debian:12-slim
    RUN curl -fsSLo /tmp/tool.tgz https://example.com/tool.tgz
    ```

    ## Fix safety
    Safe: a download that succeeds gives the same bytes; a server error now fails the build
    instead of putting the error page into the image. `-L` is not added: whether the URL
    redirects cannot be known without fetching it.

    ## References
    - binnacle rule `curlUseFlagF` (Henkel et al., ICSE 2020)
    """

    code = "SH034"
    name = "curl-without-fail"
    severity = "warning"
    aliases = {"binnacle": ("curlUseFlagF",)}
    fixable = True

    def check_script(self, ctx, run) -> Iterator[Finding]:
        for command in run.all_commands:
            curl = run.invocation(command) if command.name == "curl" else None
            if curl is None or not curl.urls or curl.fails_on_http_error or curl.has("write-out"):
                continue
            piped = command.pipe_position < command.pipeline_length - 1
            redirected = any(r.op in (">", ">>", ">|") and r.fd in (None, 1) for r in command.redirects)
            saved = curl.output not in (None, "-") or curl.has("remote-name") or curl.has("remote-name-all")
            if saved or piped or redirected or command.wrapped_by == "$(...)":
                yield Finding(run.command_span(command), "curl without -f hands on an HTTP error page as if it were the download",
                              hint="add -f (curl -fsSL …)", fix=option_fix(run, command, "-f"))
