from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules._fixes import option_fix
from twelvecheck.rules.shell._base import ShellRule


class WgetProgressBloatsLogs(ShellRule):
    """`wget` printing its default progress output into the build log.

    ## What it does
    Flags `wget` without `--progress=…`, `-q`, `-nv` or an output log file (`-o`, `-a`).

    ## Why is this bad?
    Without a terminal wget falls back to its dot progress: thousands of lines per download in
    the build log, which hide the lines that matter and slow down CI log viewers.

    ## Example
    ```dockerfile
    FROM debian:12-slim
    RUN wget https://example.com/tool.tar.gz
    ```

    Use instead:
    ```dockerfile
    FROM debian:12-slim
    RUN wget --progress=dot:giga https://example.com/tool.tar.gz
    RUN wget -q https://example.com/other.tar.gz
    ```

    ## Fix safety
    Safe: only what wget prints changes. On Alpine and busybox images the fix adds `-q`
    instead: busybox wget has no `--progress` option.

    ## References
    - [hadolint DL3047](https://github.com/hadolint/hadolint/wiki/DL3047)
    """

    code = "SH028"
    name = "wget-progress-bloats-logs"
    severity = "info"
    aliases = {"hadolint": ("DL3047",)}
    commands = frozenset({"wget"})
    fixable = True

    def check_command(self, ctx, run, command) -> Iterator[Finding]:
        wget = run.invocation(command)
        quiet = ("progress", "quiet", "no-verbose", "output-file", "append-output")
        if wget is not None and wget.urls and not any(wget.has(option) for option in quiet):
            yield Finding(run.command_span(command), "wget without --progress or -q floods the build log with progress dots",
                          hint="add --progress=dot:giga (or -q / -nv)",
                          fix=option_fix(run, command, "-q" if ctx.sh_is_busybox(run.instruction) else "--progress=dot:giga"))
