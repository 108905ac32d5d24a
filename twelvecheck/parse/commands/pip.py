"""pip, however it is launched: ``pip``, ``pip3.11``, ``python3 -m pip`` (pip's own --help)."""

from __future__ import annotations

from dataclasses import dataclass

from twelvecheck.parse.commands._invocation import Invocation, Package, build, source_of
from twelvecheck.parse.commands._options import OptionTable, flag, valued
from twelvecheck.parse.shell import Command, Word
from twelvecheck.lazy_re import lazy_compile

TABLE = OptionTable(
    flag("no-cache-dir"),
    valued("cache-dir"),
    valued("requirement", "-r", "--requirement"),
    valued("constraint", "-c", "--constraint"),
    valued("editable", "-e", "--editable"),
    flag("user"),
    valued("trusted-host"),
    valued("index-url", "-i", "--index-url"),
    valued("extra-index-url"),
    valued("find-links", "-f", "--find-links"),
    flag("no-index"),
    flag("upgrade", "-U", "--upgrade"),
    valued("upgrade-strategy"),
    flag("require-hashes"),
    flag("no-deps"),
    flag("force-reinstall"),
    flag("ignore-installed", "-I", "--ignore-installed"),
    flag("pre"),
    flag("break-system-packages"),
    flag("quiet", "-q", "--quiet"),
    flag("verbose", "-v", "--verbose"),
    valued("target", "-t", "--target"),
    valued("prefix"), valued("root"), valued("src"), valued("cert"), valued("client-cert"),
    valued("proxy"), valued("timeout"), valued("retries"), valued("log"),
    valued("no-binary"), valued("only-binary"), valued("platform"), valued("python-version"),
    valued("implementation"), valued("abi"), valued("progress-bar"), valued("root-user-action"),
    valued("config-settings", "-C", "--config-settings"), valued("global-option"),
    valued("exists-action"), valued("report"),
    flag("no-build-isolation"), flag("disable-pip-version-check"),
    flag("no-warn-script-location"), flag("isolated"), flag("require-virtualenv"),
    flag("compile"), flag("no-compile"), flag("use-pep517"), flag("dry-run"),
)

_REQUIREMENT = lazy_compile(r"(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?P<extras>\[[^\]]*\])?\s*"
                          r"(?:(?P<op>===|==|~=|!=|>=|<=|>|<)\s*(?P<version>[^;]*?))?\s*(?:;.*)?")
_DIRECT_REFERENCE = lazy_compile(r"[A-Za-z0-9][A-Za-z0-9._-]*(\[[^\]]*\])?\s*@\s*\S+")


@dataclass(frozen=True, slots=True)
class PipInvocation(Invocation):
    @property
    def is_install(self) -> bool:
        return self.subcommand == "install"

    @property
    def no_cache(self) -> bool:
        """``--no-cache-dir``, or ``PIP_NO_CACHE_DIR=...`` set on the command itself."""
        return self.has("no-cache-dir") or any(
            word.value.startswith("PIP_NO_CACHE_DIR=") for word in self.command.assignments)

    @property
    def requirements(self) -> list[str]:
        return self.values("requirement")

    @property
    def disables_tls_verification(self) -> bool:
        """``--trusted-host``, or an index served over plain http."""
        indexes = self.values("index-url") + self.values("extra-index-url")
        return self.has("trusted-host") or any(url.startswith("http://") for url in indexes)

    @property
    def packages(self) -> list[Package]:
        """Requirements named on the command line (``-r`` files are not read here).
        Pinned: any version specifier (``==``, ``>=``, ``~=``, ... as hadolint DL3013 counts);
        URLs, VCS links, local paths, ``.`` and wheels count as pinned (see ``Package``)."""
        if not self.is_install:
            return []
        operands = [_package(word) for word in self.operands]
        return operands + [_editable(value, self.command) for value in self.values("editable")]


def _package(word: Word) -> Package:
    text = word.value
    if _DIRECT_REFERENCE.fullmatch(text):
        name = text.split("@")[0].split("[")[0].strip()
        return Package(name, None, "@", word, True, "url")
    source = source_of(text)
    if source is not None:
        return Package(text, None, None, word, True, source)
    match = _REQUIREMENT.fullmatch(text)
    if match is None:
        return Package(text, None, None, word, pinned=False)
    return Package(match["name"], match["version"], match["op"], word,
                   pinned=match["op"] is not None)


def _editable(value: str, command: Command) -> Package:
    word = next((w for w in command.argv if w.value.endswith(value)), command.argv[-1])
    return Package(value, None, None, word, True, source_of(value) or "path")


def parse(command: Command, words: tuple[Word, ...]) -> PipInvocation:
    return build(PipInvocation, "pip", command, words, TABLE, {})
