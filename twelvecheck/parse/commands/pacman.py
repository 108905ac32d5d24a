"""Arch Linux's pacman (pacman(8)): one operation letter (``-S``, ``-U``, ``-R``, ``-Q`` …) with
its flags in the same cluster (``-Syu``), long options, then targets."""

from __future__ import annotations

from dataclasses import dataclass

from twelvecheck.parse.commands._invocation import Invocation, Package, non_registry_package
from twelvecheck.parse.shell import Command, Word

_OPERATIONS = {"S": "sync", "U": "upgrade", "R": "remove", "Q": "query", "D": "database", "F": "files",
               "T": "deptest", "V": "version", "h": "help"}
_LONG_OPERATIONS = {f"--{name}": name for name in _OPERATIONS.values()}
_VALUED = frozenset({"--overwrite", "--ignore", "--ignoregroup", "--config", "--root", "--dbpath", "--cachedir",
                     "--gpgdir", "--hookdir", "--logfile", "--arch", "--sysroot", "--assume-installed",
                     "--print-format", "-b"})
# sync flags that look things up or clean instead of installing: -Ss, -Si, -Sc, -Sg, -Sl, -Sp
_NOT_INSTALLING = frozenset("sicglp")


@dataclass(frozen=True, slots=True)
class PacmanInvocation(Invocation):
    @property
    def is_install(self) -> bool:
        """``-S`` with targets (not a search, info, clean or list) or ``-U`` with package files."""
        if self.subcommand == "upgrade":
            return bool(self.operands)
        return self.subcommand == "sync" and bool(self.operands) and not _NOT_INSTALLING & set(self.options)

    @property
    def assumes_yes(self) -> bool:
        return self.has("noconfirm")

    @property
    def packages(self) -> list[Package]:
        """Targets of an install; pacman installs the repository's current version (no pin)."""
        if not self.is_install:
            return []
        return [non_registry_package(word) or Package(word.value.split("/")[-1], None, None, word, pinned=False)
                for word in self.operands]


def parse(command: Command, words: tuple[Word, ...]) -> PacmanInvocation:
    operation = None
    options: dict[str, list[str | None]] = {}
    operands: list[Word] = []
    index = 0
    while index < len(words):
        text = words[index].value
        if text == "--":
            operands.extend(words[index + 1:])
            break
        if text in _LONG_OPERATIONS:
            operation = _LONG_OPERATIONS[text]
        elif text.startswith("--"):
            name, equals, value = text[2:].partition("=")
            if f"--{name}" in _VALUED and not equals and index + 1 < len(words):
                index += 1
                value = words[index].value
            options.setdefault(name, []).append(value or None)
        elif text.startswith("-") and len(text) > 1:
            for letter in text[1:]:
                if letter in _OPERATIONS and letter.isupper():
                    operation = _OPERATIONS[letter]
                else:
                    options.setdefault(letter, []).append(None)
        else:
            operands.append(words[index])
        index += 1
    return PacmanInvocation(command.name, operation, options, tuple(operands), command)
