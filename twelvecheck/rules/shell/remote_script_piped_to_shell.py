from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.parse.commands import parse_invocation
from twelvecheck.parse.shell import Command, Script, substituted_scripts
from twelvecheck.rules.shell._base import ShellRule

SHELLS = frozenset({"sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "busybox"})
INTERPRETERS = SHELLS | {"python", "python2", "python3", "perl", "ruby", "node", "php"}
_SHELL_VALUED = frozenset({"-o", "+o", "-O", "+O", "--rcfile", "--init-file"})


def _downloads_to_stdout(command: Command) -> bool:
    invocation = parse_invocation(command) if command.name in ("curl", "wget") else None
    return invocation is not None and bool(getattr(invocation, "writes_stdout", False))


def _reads_program_from_stdin(command: Command) -> bool:
    """``sh``, ``sh -s``, ``bash -`` and ``python3 -`` read their program from stdin; ``sh
    script.sh`` and ``sh -c '…'`` do not."""
    words = [word.value for word in command.argv[1:]]
    index = 0
    while index < len(words):
        word = words[index]
        if word in ("-", "--") or (word.startswith("-") and "s" in word[1:] and command.name in SHELLS):
            return True
        if word == "-c" or (word.startswith("-") and "c" in word[1:] and command.name in SHELLS):
            return False
        if not word.startswith(("-", "+")):
            return False  # a script file
        index += 2 if word in _SHELL_VALUED else 1
    return True


def _fetches(script: Script) -> bool:
    return any(_downloads_to_stdout(command) for command in script.commands)


class RemoteScriptPipedToShell(ShellRule):
    """A downloaded script is run without being saved and checked: `curl … | sh`.

    ## What it does
    Reports a pipeline whose `curl` or `wget` writes the download to stdout and whose later
    member is a shell or interpreter reading its program from stdin (`sh`, `bash -s --`,
    `sudo bash -`, `python3 -`), and the same through substitution: `sh -c "$(curl …)"`,
    `bash <(curl …)`, `source <(wget -O- …)`, ``eval "`curl …`"``.

    ## Why is this bad?
    Whatever the server sends runs as the build user (root, usually) and nothing records what
    it was: a compromised site, a truncated download (a half-received `rm -rf /tmp/x` line) or
    a changed script gives a different image with no error.
    Factor II (dependencies): a dependency whose version is not declared is not really declared.

    ## Example
    ```dockerfile
    FROM debian:12-slim
    RUN curl -fsSL https://deb.nodesource.com/setup_22.x | bash -
    ```

    Use instead:
    ```dockerfile
    FROM debian:12-slim
    COPY nodesource-setup.sh /tmp/
    RUN echo "3b4c…  /tmp/nodesource-setup.sh" | sha256sum -c - && bash /tmp/nodesource-setup.sh
    ```
    """

    code = "SH103"
    name = "remote-script-piped-to-shell"
    severity = "warning"
    factors = ("II",)

    def check_script(self, ctx, run) -> Iterator[Finding]:
        reported: set[int] = set()
        commands = run.commands
        for index, command in enumerate(commands):
            if command.name not in INTERPRETERS:
                continue
            if command.pipe_position > 0 and _reads_program_from_stdin(command) \
                    and _fed_by_download(commands, index):
                yield from self._report(run, command, reported, "runs a script piped from")
            elif command.depth == 0 and any(_fetches(script) for word in command.argv[1:]
                                            for script in substituted_scripts(word)):
                yield from self._report(run, command, reported, "runs a script substituted from")
        for command in commands:
            if command.name in ("eval", "source", ".") and command.depth == 0 and any(
                    _fetches(script) for word in command.argv[1:] for script in substituted_scripts(word)):
                yield from self._report(run, command, reported, "runs a script substituted from")

    @staticmethod
    def _report(run, command, reported: set[int], how: str) -> Iterator[Finding]:
        if command.start in reported:
            return
        reported.add(command.start)
        yield Finding(run.command_span(command), f"{command.name} {how} a download, unchecked",
                      hint="download to a file, verify its checksum or signature, then run it")


def _fed_by_download(commands: tuple[Command, ...], index: int) -> bool:
    """An earlier member of the same pipeline downloads to stdout. Walking back in source
    order, the pipeline's members have lower positions; its head has position 0."""
    target = commands[index]
    for earlier in reversed(commands[:index]):
        if earlier.pipe_position >= target.pipe_position:
            continue  # the wrapper of this member ('sudo bash'), or a command nested in one
        if _downloads_to_stdout(earlier):
            return True
        if earlier.pipe_position == 0:
            return False
    return False
