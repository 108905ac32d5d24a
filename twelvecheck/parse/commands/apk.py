"""Alpine's apk (apk(8), apk-add(8), apk-world(5) for version constraints)."""

from __future__ import annotations

from dataclasses import dataclass

from twelvecheck.parse.commands._invocation import Invocation, Package, build, non_registry_package
from twelvecheck.parse.commands._options import OptionTable, flag, valued
from twelvecheck.parse.shell import Command, Word
from twelvecheck.lazy_re import lazy_compile

TABLE = OptionTable(
    flag("no-cache"),
    valued("virtual", "-t", "--virtual"),
    flag("update-cache", "-U", "--update-cache", "--update"),
    flag("allow-untrusted"),
    valued("repository", "-X", "--repository"),
    valued("root", "-p", "--root"),
    valued("arch"), valued("keys-dir"), valued("repositories-file"), valued("cache-dir"),
    valued("wait"), valued("cache-max-age"),
    flag("quiet", "-q", "--quiet"),
    flag("verbose", "-v", "--verbose"),
    flag("interactive", "-i", "--interactive"),
    flag("upgrade", "-u", "--upgrade"),
    flag("latest", "-l", "--latest"),
    flag("available", "-a", "--available"),
    flag("simulate", "-s", "--simulate"),
    flag("rdepends", "-r", "--rdepends"),
    flag("no-network"), flag("no-progress"), flag("purge"), flag("initdb"), flag("no-scripts"),
    flag("clean-protected"), flag("force-overwrite"), flag("force-broken-world"),
)
# apk-world(5): name, then an optional @tag, then a constraint.
_CONSTRAINT = lazy_compile(r"(?P<name>[^=<>~@]+)(?P<tag>@[^=<>~]+)?"
                         r"(?:(?P<op>>=|<=|=~|~=|~|=|<|>)(?P<version>.*))?")


@dataclass(frozen=True, slots=True)
class ApkInvocation(Invocation):
    @property
    def is_install(self) -> bool:
        return self.subcommand == "add"

    @property
    def no_cache(self) -> bool:
        return self.has("no-cache")

    @property
    def virtual(self) -> str | None:
        return self.value("virtual")

    @property
    def updates_index(self) -> bool:
        return self.subcommand == "update" or self.has("update-cache")

    @property
    def allows_untrusted(self) -> bool:
        return self.has("allow-untrusted")

    @property
    def packages(self) -> list[Package]:
        """Packages of add/del. Pinned: ``=``, ``~`` and ``=~`` (an exact version or a
        fuzzy one, both fix what gets installed); ``>``/``<`` only bound it."""
        if self.subcommand not in ("add", "del"):
            return []
        return [_package(word) for word in self.operands]


def _package(word: Word) -> Package:
    local = non_registry_package(word)
    if local is not None:
        return local
    match = _CONSTRAINT.fullmatch(word.value)
    if match is None or match["op"] is None:
        return Package(word.value.split("@")[0], None, None, word, pinned=False)
    return Package(match["name"], match["version"], match["op"], word,
                   pinned=match["op"] in ("=", "~", "=~", "~="))


def parse(command: Command, words: tuple[Word, ...]) -> ApkInvocation:
    return build(ApkInvocation, "apk", command, words, TABLE, {})
