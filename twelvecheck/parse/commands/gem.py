"""RubyGems' gem (gem help install)."""

from __future__ import annotations

from dataclasses import dataclass

from twelvecheck.parse.commands._invocation import Invocation, Package, build, non_registry_package
from twelvecheck.parse.commands._options import OptionTable, flag, valued
from twelvecheck.parse.shell import Command, Word

TABLE = OptionTable(
    flag("no-document", "-N", "--no-document"),
    valued("document"),
    flag("no-ri"), flag("no-rdoc"),
    valued("version", "-v", "--version"),
    valued("install-dir", "-i", "--install-dir"),
    valued("bindir", "-n", "--bindir"),
    valued("source", "-s", "--source"),
    valued("platform"),
    flag("user-install"), flag("no-user-install"),
    flag("force", "-f", "--force"),
    flag("env-shebang", "-E", "--env-shebang"),
    flag("quiet", "-q", "--quiet"),
    flag("verbose", "-V", "--verbose"),
    flag("clear-sources"), flag("conservative"), flag("minimal-deps"), flag("prerelease"),
    flag("ignore-dependencies"), flag("development"), flag("silent"), flag("norc"),
)


@dataclass(frozen=True, slots=True)
class GemInvocation(Invocation):
    @property
    def is_install(self) -> bool:
        return self.subcommand == "install"

    @property
    def no_document(self) -> bool:
        """``--no-document``/``-N``, ``--document=`` (empty), or both old ``--no-ri --no-rdoc``."""
        return self.has("no-document") or self.value("document") == "" \
            or (self.has("no-ri") and self.has("no-rdoc"))

    @property
    def packages(self) -> list[Package]:
        """Gems of install. Pinned: ``name:version`` or a ``-v``/``--version`` option."""
        if not self.is_install:
            return []
        return [_package(word, self.value("version")) for word in self.operands]


def _package(word: Word, version_option: str | None) -> Package:
    local = non_registry_package(word)
    if local is not None:
        return local
    name, colon, version = word.value.partition(":")
    if colon:
        return Package(name, version, ":", word, pinned=bool(version))
    if version_option is not None:
        return Package(name, version_option, "-v", word, pinned=True)
    return Package(name, None, None, word, pinned=False)


def parse(command: Command, words: tuple[Word, ...]) -> GemInvocation:
    return build(GemInvocation, "gem", command, words, TABLE, {"i": "install"})
