from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules._fixes import make_fix, replace_word
from twelvecheck.rules.shell._base import ShellRule

# apt subcommands apt-get has too (search, show, list and policy belong to apt-cache).
APT_GET_SUBCOMMANDS = frozenset({"install", "reinstall", "remove", "purge", "update", "upgrade", "dist-upgrade",
                                 "autoremove", "autopurge", "clean", "autoclean", "build-dep", "source",
                                 "download", "satisfy", "check", "changelog"})


class AptInScript(ShellRule):
    """`apt` (the interactive front end) in RUN.

    ## What it does
    Flags any `apt` command in RUN.

    ## Why is this bad?
    `apt` is meant for people at a terminal: its command-line interface is not stable and it
    warns so on every run. `apt-get` and `apt-cache` do the same work with a stable interface
    made for scripts.

    ## Example
    ```dockerfile
    FROM debian:12-slim
    RUN apt update && apt install -y --no-install-recommends curl=7.88.1-10+deb12u8 && rm -rf /var/lib/apt/lists/*
    ```

    Use instead:
    ```dockerfile
    FROM debian:12-slim
    RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 && rm -rf /var/lib/apt/lists/*
    ```

    ## Fix safety
    Safe: for the subcommands apt-get has (install, remove, update, upgrade, …) both front ends
    run the same library with the same options; only the progress output differs.
    `apt search`, `show`, `list` and `policy` get no fix (apt-cache's names differ).

    ## References
    - [hadolint DL3027](https://github.com/hadolint/hadolint/wiki/DL3027)
    """

    code = "SH026"
    name = "apt-in-script"
    severity = "warning"
    aliases = {"hadolint": ("DL3027",)}
    commands = frozenset({"apt"})
    fixable = True

    def check_command(self, ctx, run, command) -> Iterator[Finding]:
        subcommand = command.args[0] if command.args else ""
        yield Finding(run.command_span(command), f"apt {subcommand} uses the interactive front end in a script".replace("  ", " "),
                      hint="use apt-get (or apt-cache for search/show/policy)",
                      fix=make_fix("use apt-get", replace_word(run, command.argv[0], "apt-get"))
                      if command.argv[0].raw == "apt" and subcommand in APT_GET_SUBCOMMANDS else None)
