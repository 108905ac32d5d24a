"""npm and yarn (npm-install(1), npm-config(7), yarn classic and berry CLI docs)."""

from __future__ import annotations

from dataclasses import dataclass

from twelvecheck.parse.commands._invocation import Invocation, Package, build, non_registry_package
from twelvecheck.parse.commands._options import OptionTable, flag, valued
from twelvecheck.parse.shell import Command, Word

NPM_TABLE = OptionTable(
    flag("global", "-g", "--global"),
    flag("production", "--production", "--prod"),
    valued("omit"), valued("include"), valued("only"),
    flag("no-optional"),
    flag("strict-ssl"),  # '--strict-ssl=false' arrives as its value
    flag("force", "-f", "--force"),
    flag("save-dev", "-D", "--save-dev"),
    flag("save-prod", "-P", "--save-prod"),
    flag("save-optional", "-O", "--save-optional"),
    flag("save-exact", "-E", "--save-exact"),
    flag("save", "-S", "--save"),
    flag("no-save"), flag("legacy-peer-deps"), flag("ignore-scripts"), flag("unsafe-perm"),
    flag("no-audit"), flag("no-fund"), flag("no-package-lock"), flag("prefer-offline"),
    flag("silent", "-s", "--silent"),
    flag("quiet", "-q", "--quiet"),
    flag("yes", "-y", "--yes"),
    valued("registry"), valued("prefix"), valued("loglevel"), valued("cache"),
    valued("workspace", "-w", "--workspace"), valued("location"), valued("userconfig"),
)
YARN_TABLE = OptionTable(
    flag("frozen-lockfile"),
    flag("immutable"),
    flag("production"),  # '--production=false' arrives as its value
    flag("ignore-optional"),
    flag("pure-lockfile"),
    flag("dev", "-D", "--dev"),
    flag("exact", "-E", "--exact"),
    flag("tilde", "-T", "--tilde"),
    flag("peer", "-P", "--peer"),
    flag("optional", "-O", "--optional"),
    flag("silent", "-s", "--silent"),
    flag("non-interactive"), flag("ignore-engines"), flag("prefer-offline"),
    flag("check-files"), flag("ignore-scripts"), flag("force"), flag("offline"),
    valued("network-timeout"), valued("registry"), valued("cache-folder"),
    valued("modules-folder"), valued("mode"), valued("cwd"), valued("global-folder"),
)
_NPM_SUBCOMMANDS = {
    **dict.fromkeys(("i", "in", "ins", "inst", "insta", "instal", "isnt", "isnta", "isntal",
                     "isntall", "add"), "install"),
    **dict.fromkeys(("clean-install", "ic", "install-clean", "isntall-clean"), "ci"),
    **dict.fromkeys(("un", "unlink", "remove", "rm", "r"), "uninstall"),
}
_YARN_PRINTS_AND_EXITS = ("version", "v", "help", "h")
NPM_INSTALL = frozenset({"install", "ci"})
_FALSE = frozenset({"false", "0", "no"})  # npm reads these as false


@dataclass(frozen=True, slots=True)
class NpmInvocation(Invocation):
    @property
    def is_install(self) -> bool:
        return self.subcommand in NPM_INSTALL

    @property
    def is_global(self) -> bool:
        return self.has("global") or self.value("location") == "global"

    @property
    def omits_dev(self) -> bool:
        """``--production``, ``--omit=dev`` or ``--only=prod[uction]``."""
        return (self.has("production") and self.value("production") not in _FALSE) \
            or "dev" in self.values("omit") \
            or any(only.startswith("prod") for only in self.values("only"))

    @property
    def disables_tls_verification(self) -> bool:
        """``--strict-ssl=false`` or ``npm config set strict-ssl false``."""
        return self.value("strict-ssl") in _FALSE or config_set(self).get("strict-ssl") in _FALSE

    @property
    def cleans_cache(self) -> bool:
        return _cleans_cache(self)

    @property
    def packages(self) -> list[Package]:
        """Packages of install. Pinned: ``name@version`` with a version other than
        ``latest``/``next`` (dist-tags move); tarballs, paths and git URLs count as pinned."""
        return [_package(word) for word in self.operands] if self.is_install else []


@dataclass(frozen=True, slots=True)
class YarnInvocation(Invocation):
    @property
    def is_install(self) -> bool:
        """``yarn install``, ``yarn add`` and bare ``yarn``, but not ``yarn --version``/``--help``,
        which print and exit."""
        if self.subcommand is None:
            return not any(self.has(option) for option in _YARN_PRINTS_AND_EXITS)
        return self.subcommand in ("install", "add")

    @property
    def is_global(self) -> bool:
        return self.has("global")

    @property
    def disables_tls_verification(self) -> bool:
        """``yarn config set strict-ssl false`` (classic) or ``enableStrictSsl false`` (berry)."""
        settings = config_set(self)
        return settings.get("strict-ssl") in _FALSE or settings.get("enablestrictssl") in _FALSE

    @property
    def frozen_lockfile(self) -> bool:
        return self.has("frozen-lockfile") or self.has("immutable")

    @property
    def cleans_cache(self) -> bool:
        return _cleans_cache(self)

    @property
    def packages(self) -> list[Package]:
        """Packages of ``yarn add``, pinned as for npm."""
        return [_package(word) for word in self.operands] if self.subcommand == "add" else []


def config_set(invocation: Invocation) -> dict[str, str]:
    """Settings of ``npm config set k v`` / ``npm config set k=v`` (``c``, ``npm set`` too) and
    ``yarn config set k v``: lower-cased keys, unquoted values."""
    if invocation.subcommand == "set":  # 'npm set k v' is 'npm config set k v'
        words = [word.value for word in invocation.operands]
    elif invocation.subcommand in ("config", "c") and invocation.operands \
            and invocation.operands[0].value == "set":
        words = [word.value for word in invocation.operands[1:]]
    else:
        return {}
    settings: dict[str, str] = {}
    index = 0
    while index < len(words):
        key, equals, value = words[index].partition("=")
        if not equals and index + 1 < len(words):
            value, index = words[index + 1], index + 1
        settings[key.lower()] = value.lower()
        index += 1
    return settings


def _cleans_cache(invocation: Invocation) -> bool:
    return invocation.subcommand == "cache" and bool(invocation.operands) \
        and invocation.operands[0].value in ("clean", "clear")  # npm 4 and older: clear


def _package(word: Word) -> Package:
    local = non_registry_package(word)
    if local is not None:
        return local
    text = word.value
    at = text.find("@", 1)  # a leading '@' is the scope: @scope/name@1.2.3
    if at < 0:
        return Package(text, None, None, word, pinned=False)
    version = text[at + 1:]
    return Package(text[:at], version, "@", word, pinned=version not in ("", "latest", "next"))


def parse_npm(command: Command, words: tuple[Word, ...]) -> NpmInvocation:
    return build(NpmInvocation, "npm", command, words, NPM_TABLE, _NPM_SUBCOMMANDS)


def parse_yarn(command: Command, words: tuple[Word, ...]) -> YarnInvocation:
    """``yarn global add x`` reads as subcommand 'add' with the option 'global'."""
    invocation = build(YarnInvocation, "yarn", command, words, YARN_TABLE, {})
    if invocation.subcommand != "global" or not invocation.operands:
        return invocation
    options = {**invocation.options, "global": [None]}
    return YarnInvocation("yarn", invocation.operands[0].value, options,
                          invocation.operands[1:], command)
