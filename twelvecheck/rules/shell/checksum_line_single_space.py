from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Edit, Finding
from twelvecheck.rules._fixes import exact, make_fix, replace_pattern_in_word
from twelvecheck.rules.shell._base import ShellRule

from twelvecheck.parse.commands.utilities import CHECKSUM_TOOLS
from twelvecheck.lazy_re import lazy_compile

_ONE_SPACE = lazy_compile(r"\S+ [^ *]")


class ChecksumLineSingleSpace(ShellRule):
    """A checksum line fed to `sha256sum -c` with one space.

    ## What it does
    Flags `echo`/`printf` piped into `sha256sum -c` (and `md5sum`, `sha1sum`, `sha512sum`, …)
    when the line has a single space between the hash and the file name. The format is
    `HASH  FILE` (two spaces) or `HASH *FILE`. Unquoted words count as the shell splits them:
    `echo $SHA  file` loses its second space.

    ## Why is this bad?
    BusyBox's `sha256sum -c` (Alpine) rejects a single space as an invalid format, so the step
    fails on Alpine, and only there.

    ## Example
    ```dockerfile
    FROM alpine:3.20
    ARG SHA=0000
    RUN echo "$SHA /tmp/app.tgz" | sha256sum -c -
    ```

    Use instead:
    ```dockerfile
    FROM alpine:3.20
    ARG SHA=0000
    RUN echo "$SHA  /tmp/app.tgz" | sha256sum -c -
    ```

    ## Fix safety
    Safe: the checker reads the same hash and file name, now in the format it documents.

    ## References
    - binnacle rule `sha256sumEchoOneSpaces` (Henkel et al., ICSE 2020)
    """

    code = "SH039"
    name = "checksum-line-single-space"
    severity = "warning"
    aliases = {"binnacle": ("sha256sumEchoOneSpaces",)}
    fixable = True

    def check_script(self, ctx, run) -> Iterator[Finding]:
        commands = run.all_commands
        for index, command in enumerate(commands):
            checker = run.invocation(command) if command.name in CHECKSUM_TOOLS else None
            if checker is None or not checker.has("check") or command.pipe_position != 1 or index == 0:
                continue
            writer = commands[index - 1]
            line = _written_line(writer)
            if line is not None and _ONE_SPACE.match(line):
                yield Finding(run.command_span(writer), f"{command.name} -c reads '{line}': one space between hash and file",
                              hint="write two spaces (HASH  FILE) or HASH *FILE", fix=_two_spaces(run, writer))


def _written_line(command) -> str | None:
    """The first line ``echo`` or ``printf`` writes, as far as the words tell."""
    args = list(command.args)
    if command.name == "echo":
        while args and args[0] in ("-n", "-e", "-E", "-ne", "-en"):
            args.pop(0)
        return " ".join(args).split("\\n")[0] if args else None
    if command.name == "printf" and args:
        text = args[0]
        for value in args[1:]:
            text = text.replace("%s", value, 1)
        return text.split("\\n")[0]
    return None


def _two_spaces(run, writer):
    """One quoted word holding ``HASH FILE``: its space doubled; two plain words: joined in
    double quotes with two spaces."""
    words = [w for w in writer.argv[1:] if not w.value.startswith("-")]
    if writer.name != "echo" or not words:
        return None
    if len(words) == 1 and words[0].raw.count(" ") == 1 and words[0].raw[0] in "\"'":
        return make_fix("write two spaces", replace_pattern_in_word(run, words[0], " ", "  "))
    if len(words) == 2 and all(exact(run, w) and not any(c in w.raw for c in "\"'\\") for w in words):
        return make_fix("write two spaces", Edit(run.span(words[0].start, words[1].end), f'"{words[0].raw}  {words[1].raw}"'))
    return None
