from __future__ import annotations

import re
from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.shell._base import ShellRule
from twelvecheck.rules.shell._private import in_working_directory

# Projects whose ./configure is their own script, which knows no --build.
_NOT_AUTOCONF = frozenset({"node", "nginx", "openresty", "tengine", "ffmpeg", "x264", "libvpx", "qt",
                           "qtbase", "kibosh"})


CONFIGURE = frozenset({"configure"})


class ConfigureWithoutBuild(ShellRule):
    r"""`./configure` without `--build`.

    ## What it does
    Flags an autoconf `configure` script run by path (`./configure`, `../configure`,
    `/usr/src/x/configure`) without `--build=…`. Projects whose `configure` is not autoconf's
    and takes no `--build` (Node.js's Python script, nginx, FFmpeg, x264, libvpx, Qt, and
    CMake wrappers such as kibosh's) are recognised by the directory the script runs from
    (`cd "node-v$NODE_VERSION" && ./configure`) and not flagged.

    ## Why is this bad?
    Without `--build` autoconf guesses the build system with the project's `config.guess`,
    which is often too old for newer architectures (arm64, ppc64le, s390x). Passing
    `--build="$(dpkg-architecture --query DEB_BUILD_GNU_TYPE)"` makes multi-architecture builds
    work.

    ## Example
    ```dockerfile
    FROM debian:12-slim
    RUN ./configure --prefix=/usr/local && make && make install
    ```

    Use instead:
    ```dockerfile
    FROM debian:12-slim
    RUN gnuArch="$(dpkg-architecture --query DEB_BUILD_GNU_TYPE)" \
        && ./configure --build="$gnuArch" --prefix=/usr/local && make && make install
    ```

    ## References
    - binnacle rule `configureShouldUseBuildFlag` (Henkel et al., ICSE 2020)
    """

    code = "SH038"
    name = "configure-without-build"
    severity = "info"
    aliases = {"binnacle": ("configureShouldUseBuildFlag",)}

    def check_script(self, ctx, run) -> Iterator[Finding]:
        for command in run.commands_named(CONFIGURE):
            program = command.argv[0].value if command.argv else ""
            if "/" not in program or _not_autoconf(run, command, program):
                continue
            if not any(arg == "--build" or arg.startswith("--build=") for arg in command.args):
                yield Finding(run.command_span(command), f"{program} without --build guesses the build system",
                              hint='add --build="$(dpkg-architecture --query DEB_BUILD_GNU_TYPE)"')


def _not_autoconf(run, command, program: str) -> bool:
    path = in_working_directory(run, program, command).lower()
    return any(part in _NOT_AUTOCONF for part in re.split(r"[/_.\-]", path))
