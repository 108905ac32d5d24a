"""yum, dnf, microdnf and Photon OS's tdnf (yum(8), dnf(8), microdnf --help, tdnf(8)): one family,
one option table."""

from __future__ import annotations

from dataclasses import dataclass

from twelvecheck.parse.commands._invocation import Invocation, Package, build, non_registry_package
from twelvecheck.parse.commands._options import OptionTable, flag, valued
from twelvecheck.parse.shell import Command, Word
from twelvecheck.lazy_re import lazy_compile

TABLE = OptionTable(
    flag("assumeyes", "-y", "--assumeyes", "--yes"),
    flag("assumeno", "--assumeno"),
    flag("quiet", "-q", "--quiet"),
    flag("verbose", "-v", "--verbose"),
    flag("nogpgcheck", "--nogpgcheck", "--no-gpgchecks"),
    valued("setopt"),
    flag("nodocs"),
    valued("enablerepo"), valued("disablerepo"), valued("repo", "--repo", "--repoid"),
    valued("installroot"), valued("releasever"), valued("forcearch"), valued("downloaddir"),
    valued("destdir"), valued("repofrompath"), valued("enableplugin"), valued("disableplugin"),
    valued("rpmverbosity"), valued("color"), valued("config", "-c", "--config"),
    valued("exclude", "-x", "--exclude"),
    valued("errorlevel", "-e", "--errorlevel"),
    valued("debuglevel", "-d", "--debuglevel"),
    valued("module"),
    flag("cacheonly", "-C", "--cacheonly"),
    flag("best"), flag("nobest"), flag("allowerasing"), flag("skip-broken"), flag("refresh"),
    flag("downloadonly"), flag("noplugins"), flag("disableexcludes"),
    flag("setopt-install-weak-deps"), flag("no-install-weak-deps"),
)
_SUBCOMMANDS = {"in": "install", "rm": "remove", "erase": "remove", "up": "upgrade",
                "localinstall": "install", "groupinstall": "group-install"}
INSTALL = frozenset({"install", "reinstall", "group-install"})
# NEVRA: the version starts at the first '-' followed by a digit (python3-pip-9.0.3-1.el8).
_VERSIONED = lazy_compile(r"(?P<name>.+?)-(?P<version>\d.*)")


@dataclass(frozen=True, slots=True)
class RpmInvocation(Invocation):
    @property
    def is_install(self) -> bool:
        return self.subcommand in INSTALL

    @property
    def assumes_yes(self) -> bool:
        return self.has("assumeyes") or self._setting("assumeyes") in ("1", "true", "yes")

    @property
    def no_docs(self) -> bool:
        """``--nodocs`` or ``--setopt=tsflags=nodocs``."""
        return self.has("nodocs") or "nodocs" in (self._setting("tsflags") or "")

    @property
    def disables_gpg_check(self) -> bool:
        return self.has("nogpgcheck") or self._setting("gpgcheck") in ("0", "false", "no")

    @property
    def disables_tls_verification(self) -> bool:
        """``--setopt=sslverify=0`` (for all repositories or one)."""
        return self._setting("sslverify") in ("0", "false", "no", "off")

    @property
    def cleans_cache(self) -> bool:
        """``clean all``: packages and metadata (``clean packages`` leaves the metadata)."""
        return self.subcommand == "clean" and any(w.value == "all" for w in self.operands)

    @property
    def packages(self) -> list[Package]:
        """Packages of install. Pinned: ``name-version[-release][.arch]``; ``@group``
        names and local or remote ``.rpm`` files count as pinned."""
        if not self.is_install:
            return []
        return [_package(word) for word in self.operands]

    def _setting(self, key: str) -> str | None:
        found = None
        for setting in self.values("setopt"):
            name, _, value = setting.partition("=")
            if name.strip().rsplit(".", 1)[-1] == key:  # 'repo.gpgcheck=0' counts too
                found = value.strip().lower()
        return found


def _package(word: Word) -> Package:
    local = non_registry_package(word)
    if local is not None:
        return local
    if word.value.startswith("@"):
        return Package(word.value, None, None, word, True, "group")
    match = _VERSIONED.fullmatch(word.value)
    if match is None:
        return Package(word.value, None, None, word, pinned=False)
    return Package(match["name"], match["version"], "-", word, pinned=True)


def parse(command: Command, words: tuple[Word, ...]) -> RpmInvocation:
    return build(RpmInvocation, command.name, command, words, TABLE, _SUBCOMMANDS)
