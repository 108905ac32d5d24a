"""Gentoo's emerge (emerge(1)): options, then atoms (``=sys-process/cronie-1.7.2``,
``app-admin/supervisor``, ``@world``); an action option (``--sync``, ``--search``, ``-C`` …)
makes it something other than an install."""

from __future__ import annotations

from dataclasses import dataclass

from twelvecheck.parse.commands._invocation import Invocation, Package
from twelvecheck.parse.shell import Command, Word
from twelvecheck.lazy_re import lazy_compile

_ACTIONS = frozenset({"--sync", "--search", "-s", "--searchdesc", "-S", "--unmerge", "-C", "--depclean", "-c",
                      "--info", "--check-news", "--clean", "--config", "--metadata", "--regen", "--prune", "-P",
                      "--pretend", "-p", "--fetchonly", "-f", "--fetch-all-uri", "-F", "--help", "-h",
                      "--version", "-V", "--list-sets", "--resume", "-r", "--deselect"})
_VALUED = frozenset({"--jobs", "-j", "--load-average", "--exclude", "--root", "--config-root", "--color"})
# [operator]category/name[-version][:slot][::repository]
_ATOM = lazy_compile(r"(?P<op>[<>=~]*)(?:[\w+.-]+/)?(?P<name>[\w+]+(?:-(?!\d)[\w+]+)*)(?:-(?P<version>\d[^:]*))?(?::.*)?")


@dataclass(frozen=True, slots=True)
class EmergeInvocation(Invocation):
    @property
    def is_install(self) -> bool:
        return self.subcommand == "install" and bool(self.operands)

    @property
    def packages(self) -> list[Package]:
        """Atoms of an install (``@set`` names are left out); pinned: ``=cat/name-version``."""
        if not self.is_install:
            return []
        packages = []
        for word in self.operands:
            match = _ATOM.fullmatch(word.value)
            if match is None or word.value.startswith("@"):
                continue
            version = match["version"]
            packages.append(Package(match["name"], version, match["op"] or None, word,
                                    pinned=bool(version and match["op"] and "=" in match["op"])))
        return packages


def parse(command: Command, words: tuple[Word, ...]) -> EmergeInvocation:
    options: dict[str, list[str | None]] = {}
    operands: list[Word] = []
    action = "install"
    index = 0
    while index < len(words):
        text = words[index].value
        if text.startswith("-") and len(text) > 1:
            name, equals, value = text.partition("=")
            if name in _ACTIONS:
                action = name.lstrip("-")
            if name in _VALUED and not equals and index + 1 < len(words) and words[index + 1].value.isdigit():
                index += 1
                value = words[index].value
            options.setdefault(name.lstrip("-"), []).append(value or None)
        else:
            operands.append(words[index])
        index += 1
    return EmergeInvocation(command.name, action, options, tuple(operands), command)
