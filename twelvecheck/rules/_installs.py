"""What a Dockerfile's final image installs, through every package manager the shared command
parsers model (``twelvecheck.parse.commands.INSTALLERS``: apt, apk, the dnf/yum family with
microdnf and tdnf, zypper, pacman, emerge, pip, gem, npm, yarn, go), and which of those packages
are background daemons: the one place rules ask "does the image install X"."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from twelvecheck.parse.commands import INSTALLERS
from twelvecheck.parse.model import Span
from twelvecheck.rules.context import DockerfileContext

_SYSTEM = frozenset({"apt-get", "apt", "apk", "yum", "dnf", "microdnf", "tdnf", "zypper", "pacman", "emerge"})
_NODE = frozenset({"npm", "yarn"})

# (what it is, the package managers that name it so, package names) — names as each
# distribution ships them (Debian/Ubuntu, Alpine, Fedora/RHEL/Photon, openSUSE, Arch, Gentoo).
DAEMONS: dict[str, tuple[tuple[frozenset[str], frozenset[str]], ...]] = {
    "cron daemon": ((_SYSTEM, frozenset({"cron", "cronie", "cronie-anacron", "dcron", "anacron", "fcron", "bcron",
                                         "systemd-cron", "supercronic"})),),
    "syslog daemon": ((_SYSTEM, frozenset({"rsyslog", "syslog-ng", "sysklogd", "inetutils-syslogd",
                                           "busybox-syslogd", "metalog", "socklog"})),),
    "process supervisor": ((_SYSTEM, frozenset({"supervisor", "runit", "s6", "daemontools", "monit", "circus"})),
                           (frozenset({"pip"}), frozenset({"supervisor", "circus"})),
                           (_NODE, frozenset({"pm2", "forever"})),
                           (frozenset({"gem"}), frozenset({"god", "eye", "bluepill"}))),
}


@dataclass(frozen=True, slots=True)
class Installed:
    name: str  # as the package manager names it
    manager: str  # the command: apt-get, apk, tdnf, pip, ...
    span: Span  # the package's word in the RUN

    def is_a(self, what: str) -> bool:
        """Whether this package is a ``what`` of DAEMONS ("cron daemon", "syslog daemon", ...)."""
        name = self.name.lower()
        return any(self.manager in managers and name in names for managers, names in DAEMONS[what])


def installed(ctx: DockerfileContext) -> Iterator[Installed]:
    """Every package the final image's RUN instructions install by name from a registry."""
    for run in ctx.run_scripts:
        if not ctx.in_final_image(run.instruction):
            continue
        for command in run.all_commands:
            invocation = run.invocation(command) if command.name in INSTALLERS else None
            if invocation is None or not getattr(invocation, "is_install", False):
                continue
            for package in invocation.packages:
                if package.source == "registry":
                    yield Installed(package.name, command.name, run.span(package.word.start, package.word.end))
