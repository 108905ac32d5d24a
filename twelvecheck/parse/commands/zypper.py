"""openSUSE's zypper (zypper(8)): global options before the command, command options after."""

from __future__ import annotations

from dataclasses import dataclass

from twelvecheck.parse.commands._invocation import Invocation, Package, build, non_registry_package
from twelvecheck.parse.commands._options import OptionTable, flag, valued
from twelvecheck.parse.shell import Command, Word
from twelvecheck.lazy_re import lazy_compile

TABLE = OptionTable(
    flag("non-interactive", "-n", "--non-interactive"),
    flag("no-confirm", "-y", "--no-confirm"),
    flag("no-gpg-checks"),
    flag("gpg-auto-import-keys"),
    flag("quiet", "-q", "--quiet"),
    flag("verbose", "-v", "--verbose"),
    flag("no-recommends"),
    flag("auto-agree-with-licenses", "-l", "--auto-agree-with-licenses"),
    flag("force", "-f", "--force"),
    flag("dry-run", "-D", "--dry-run"),
    flag("download-only", "-d", "--download-only"),
    flag("all", "-a", "--all"),
    flag("oldpackage"), flag("allow-unsigned-rpm"), flag("no-refresh"), flag("clean-deps"),
    valued("repo", "-r", "--repo"),
    valued("type", "-t", "--type"),
    valued("from"),
    valued("root", "-R", "--root"),
    valued("config", "-c", "--config"),
    valued("releasever"), valued("installroot"),
)
_SUBCOMMANDS = {"in": "install", "rm": "remove", "ref": "refresh", "up": "update",
                "dup": "dist-upgrade", "cc": "clean", "se": "search", "ar": "addrepo",
                "rr": "removerepo", "if": "info", "ve": "verify"}
_CONSTRAINT = lazy_compile(r"(?P<name>[^=<>]+)(?P<op>>=|<=|=|<|>)(?P<version>.+)")


@dataclass(frozen=True, slots=True)
class ZypperInvocation(Invocation):
    @property
    def is_install(self) -> bool:
        return self.subcommand == "install"

    @property
    def assumes_yes(self) -> bool:
        """``-n``/``--non-interactive`` globally, or ``-y``/``--no-confirm`` on install."""
        return self.has("non-interactive") or self.has("no-confirm")

    @property
    def disables_gpg_check(self) -> bool:
        return self.has("no-gpg-checks") or self.has("allow-unsigned-rpm")

    @property
    def cleans_cache(self) -> bool:
        """``zypper clean`` removes the cached packages (``-a`` the metadata too)."""
        return self.subcommand == "clean"

    @property
    def packages(self) -> list[Package]:
        """Packages of install. Pinned: ``name=version``; ranges only bound the version."""
        if not self.is_install:
            return []
        return [_package(word) for word in self.operands]


def _package(word: Word) -> Package:
    local = non_registry_package(word)
    if local is not None:
        return local
    match = _CONSTRAINT.fullmatch(word.value)
    if match is None:
        return Package(word.value, None, None, word, pinned=False)
    return Package(match["name"], match["version"], match["op"], word,
                   pinned=match["op"] == "=")


def parse(command: Command, words: tuple[Word, ...]) -> ZypperInvocation:
    return build(ZypperInvocation, "zypper", command, words, TABLE, _SUBCOMMANDS)
