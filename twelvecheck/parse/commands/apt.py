"""apt-get and apt (apt-get(8), apt(8), apt.conf(5))."""

from __future__ import annotations

from dataclasses import dataclass

from twelvecheck.parse.commands._invocation import Invocation, Package, build, non_registry_package
from twelvecheck.parse.commands._options import OptionTable, flag, valued
from twelvecheck.parse.shell import Command, Word

TABLE = OptionTable(
    flag("yes", "-y", "--yes", "--assume-yes"),
    flag("assume-no", "--assume-no"),
    flag("quiet", "-q", "--quiet", "--silent"),
    flag("no-install-recommends"),
    flag("install-recommends"),
    flag("no-install-suggests"),
    flag("install-suggests"),
    valued("option", "-o", "--option"),
    valued("config-file", "-c", "--config-file"),
    valued("target-release", "-t", "--target-release", "--default-release"),
    flag("allow-unauthenticated"),
    flag("allow-insecure-repositories"),
    flag("allow-downgrades"),
    flag("allow-remove-essential"),
    flag("allow-change-held-packages"),
    flag("force-yes"),
    flag("fix-broken", "-f", "--fix-broken"),
    flag("fix-missing", "-m", "--fix-missing", "--ignore-missing"),
    flag("download-only", "-d", "--download-only"),
    flag("simulate", "-s", "--simulate", "--just-print", "--dry-run", "--recon", "--no-act"),
    flag("show-upgraded", "-u", "--show-upgraded"),
    flag("verbose-versions", "-V", "--verbose-versions"),
    flag("no-upgrade"), flag("only-upgrade"), flag("reinstall"), flag("purge"),
    flag("autoremove", "--autoremove", "--auto-remove"),
)
INSTALL = frozenset({"install", "reinstall"})
_FALSE = frozenset({"false", "0", "no", "off"})
_TRUE = frozenset({"true", "1", "yes", "on"})


@dataclass(frozen=True, slots=True)
class AptInvocation(Invocation):
    @property
    def is_install(self) -> bool:
        return self.subcommand in INSTALL

    @property
    def assumes_yes(self) -> bool:
        return self.has("yes") or self.has("force-yes") \
            or self._config("apt::get::assume-yes") in _TRUE

    @property
    def no_install_recommends(self) -> bool:
        """``--no-install-recommends`` or ``-o APT::Install-Recommends=false``."""
        return self.has("no-install-recommends") \
            or self._config("apt::install-recommends") in _FALSE

    @property
    def allows_unauthenticated(self) -> bool:
        """Packages or repositories whose signature is not checked get installed."""
        return any(self.has(option) for option in
                   ("allow-unauthenticated", "allow-insecure-repositories", "force-yes")) \
            or self._config("apt::get::allowunauthenticated") in _TRUE \
            or self._config("acquire::allowinsecurerepositories") in _TRUE

    @property
    def disables_tls_verification(self) -> bool:
        return self._config("acquire::https::verify-peer") in _FALSE \
            or self._config("acquire::https::verify-host") in _FALSE

    @property
    def packages(self) -> list[Package]:
        """Packages of install/remove/purge. Pinned: ``pkg=version`` (``pkg/release`` only
        picks a suite, so it is not pinned); a local ``.deb`` path counts as pinned."""
        if self.subcommand not in INSTALL | {"remove", "purge", "download", "source"}:
            return []
        return [_package(word) for word in self.operands]

    def _config(self, key: str) -> str | None:
        """The last ``-o Key=value`` for ``key`` (apt keys are case-insensitive)."""
        found = None
        for setting in self.values("option"):
            name, _, value = setting.partition("=")
            if name.strip().lower() == key:
                found = value.strip().strip("\"'").lower()
        return found


def _package(word: Word) -> Package:
    local = non_registry_package(word)
    if local is not None:
        return local
    text = word.value
    for operator in ("=", "/"):
        name, found, version = text.partition(operator)
        if found:
            return Package(name, version, operator, word, pinned=operator == "=")
    return Package(text, None, None, word, pinned=False)


def parse(command: Command, words: tuple[Word, ...]) -> AptInvocation:
    return build(AptInvocation, command.name, command, words, TABLE, {})
