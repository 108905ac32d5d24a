from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Edit, Finding, Fix
from twelvecheck.parse.shell import Command
from twelvecheck.rules._fixes import line_before, make_fix, point
from twelvecheck.rules.run_scripts import RunScript
from twelvecheck.rules.shell._base import ShellRule
from twelvecheck.rules.shell._private import shell_wrapper_options

# A pipeline whose left side cannot fail in a way that matters: pipefail adds nothing, and for
# 'yes | cmd' it would turn yes's SIGPIPE into a failed build.
_HARMLESS_WRITERS = frozenset({"echo", "printf", "yes"})
# Official images whose every variant but Alpine's has /bin/bash (Debian, Ubuntu and RPM bases,
# and the language images built on them): the fix may switch their stages to bash.
_BASH_IMAGES = frozenset({
    "debian", "ubuntu", "centos", "fedora", "rockylinux", "almalinux", "amazonlinux", "oraclelinux",
    "opensuse/leap", "opensuse/tumbleweed", "archlinux", "buildpack-deps", "python", "node", "golang",
    "ruby", "openjdk", "eclipse-temurin", "amazoncorretto", "php", "maven", "gradle", "rust", "perl",
    "elixir", "erlang", "haskell", "julia", "r-base", "nginx", "httpd", "postgres", "redis", "mongo",
    "ubi8/ubi", "ubi9/ubi", "ubi8", "ubi9", "nvidia/cuda", "dotnet/sdk", "dotnet/aspnet", "dotnet/runtime",
})
BASH_PIPEFAIL = '["/bin/bash", "-o", "pipefail", "-c"]'


def _sets_pipefail(args: tuple[str, ...]) -> bool:
    return any(value == "pipefail" and flag.startswith("-") and "o" in flag
               for flag, value in zip(args, args[1:]))


class PipeWithoutPipefail(ShellRule):
    """A pipe in RUN whose failure is hidden because `pipefail` is off.

    ## What it does
    Flags the first pipeline of a RUN script (in `$(...)` too) when `pipefail` is not on for
    it. It is on when the stage's `SHELL` has `-o pipefail`
    (`SHELL ["/bin/bash", "-o", "pipefail", "-c"]`), when `set -o pipefail` (or
    `set -euxo pipefail`) runs earlier in the same script, or when the pipeline runs inside
    `bash -o pipefail -c '…'`. Pipelines whose writers are only `echo`, `printf` or `yes`
    are not flagged: their failure does not matter, and `yes | cmd` would even fail with
    pipefail on.

    Which shells can do it: bash, zsh, ksh and busybox ash (Alpine's `/bin/sh`) support
    `set -o pipefail`; dash, Debian's and Ubuntu's `/bin/sh`, does not (`set: Illegal option
    -o pipefail`). So the hint says `set -o pipefail` on Alpine/busybox bases and a bash `SHELL`
    elsewhere.

    ## Why is this bad?
    A pipeline's status is its last command's: in `curl -fsSL URL | tar -xz` a failed
    download still lets the step succeed, and the image is built with a missing or truncated
    file.

    ## Example
    ```dockerfile
    FROM debian:12-slim
    RUN curl -fsSL https://example.com/tool.tgz | tar -xz -C /opt
    ```

    Use instead:
    ```dockerfile
    FROM debian:12-slim
    SHELL ["/bin/bash", "-o", "pipefail", "-c"]
    RUN curl -fsSL https://example.com/tool.tgz | tar -xz -C /opt
    ```

    ## Fix safety
    Unsafe: a pipeline whose first command fails now fails the build. On images known to ship
    bash (Debian, Ubuntu, RPM-based and the official language images built on them; not
    Alpine, not images whose base is a variable) the fix adds
    `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before the stage's first flagged RUN, which
    also runs every later RUN, and shell-form CMD/ENTRYPOINT, with bash instead of `/bin/sh`.
    On Alpine and busybox images it starts the RUN with `set -o pipefail &&` instead. Stages
    with their own `SHELL`, and other images, get no fix.

    ## References
    - [hadolint DL4006](https://github.com/hadolint/hadolint/wiki/DL4006)
    """

    code = "SH032"
    name = "pipe-without-pipefail"
    severity = "warning"
    aliases = {"hadolint": ("DL4006",)}
    fixable = True
    fix_safety = "unsafe"

    def check_script(self, ctx, run: RunScript) -> Iterator[Finding]:
        command = self._unprotected(ctx, run)
        if command is not None:
            yield Finding(run.command_span(command), "a failure before the pipe is hidden: the pipeline's status is its last command's",
                          hint=self._hint(ctx, run), fix=self._fix(ctx, run))

    def _unprotected(self, ctx, run: RunScript) -> Command | None:
        """The script's first pipeline that runs without pipefail, if any."""
        if _sets_pipefail(ctx.shell_of(run.instruction)[1:]):
            return None
        pipefail_from = [c.start for c in run.all_commands if c.name == "set" and _sets_pipefail(c.args)]
        for command in self._pipeline_heads(run):
            if any(start < command.start for start in pipefail_from):
                continue
            if any(_sets_pipefail(args) for args in shell_wrapper_options(run, command)):
                continue
            return command
        return None

    def _fix(self, ctx, run: RunScript) -> Fix | None:
        stage = ctx.stage_of(run.instruction)
        if stage is None or ctx.is_onbuild_trigger(run.instruction) \
                or ctx.shell_of(run.instruction) != ("/bin/sh", "-c"):
            return None
        if ctx.sh_is_busybox(run.instruction):
            if run.heredoc is not None:
                return None
            start = len(run.text) - len(run.text.lstrip())
            return make_fix("start the RUN with set -o pipefail", Edit(point(run.position(start)), "set -o pipefail && "),
                            safe=False)
        if not _has_bash(ctx.image_root(stage)):
            return None
        first = next(r for r in ctx.run_scripts_in(stage) if self._unprotected(ctx, r))
        return make_fix("run the stage's RUNs with bash -o pipefail",
                        line_before(first.instruction, f"SHELL {BASH_PIPEFAIL}"), safe=False)

    @staticmethod
    def _pipeline_heads(run: RunScript) -> Iterator[Command]:
        commands = run.all_commands
        for index, command in enumerate(commands):
            if command.pipeline_length < 2 or command.pipe_position != 0:
                continue
            members = [c for c in commands[index:]
                       if c.depth == command.depth and c.wrapped_by == command.wrapped_by][:command.pipeline_length]
            if all(member.name in _HARMLESS_WRITERS for member in members[:-1]):
                continue
            yield command

    @staticmethod
    def _hint(ctx, run: RunScript) -> str:
        if ctx.sh_is_busybox(run.instruction):
            return "start the RUN with set -o pipefail && (busybox ash supports it)"
        return 'add SHELL ["/bin/bash", "-o", "pipefail", "-c"] before this RUN (dash, Debian\'s /bin/sh, has no pipefail)'


def _has_bash(image: str) -> bool:
    """The image (``name:tag``, maybe with a registry or a digest) is one known to ship bash."""
    reference = image.partition("@")[0]
    if not reference or "$" in reference:
        return False
    name, tag = reference, ""
    if ":" in reference.rsplit("/", 1)[-1]:
        name, _, tag = reference.rpartition(":")
    if any(marker in tag for marker in ("alpine", "windows", "nanoserver", "busybox", "distroless")):
        return False
    for prefix in ("docker.io/library/", "docker.io/", "library/", "registry.access.redhat.com/",
                   "mcr.microsoft.com/"):
        name = name.removeprefix(prefix)
    return name in _BASH_IMAGES
