"""One argument parser per package manager and downloader, shared by every rule.

``parse_invocation(command)`` recognises the tool (through ``python -m pip`` and versioned
names like ``pip3.11``) and returns its typed ``Invocation``, or None for other commands.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from twelvecheck.parse.commands import apk, apt, curl, gem, go, node, pip, rpm, wget, zypper
from twelvecheck.parse.commands._invocation import Invocation, Package
from twelvecheck.parse.shell import Command, Word

__all__ = ["Invocation", "Package", "parse_invocation"]

_PARSERS: dict[str, Callable[[Command, tuple[Word, ...]], Invocation]] = {
    "apt-get": apt.parse, "apt": apt.parse, "apk": apk.parse, "npm": node.parse_npm,
    "yarn": node.parse_yarn, "gem": gem.parse, "go": go.parse, "yum": rpm.parse,
    "dnf": rpm.parse, "microdnf": rpm.parse, "zypper": zypper.parse, "curl": curl.parse,
    "wget": wget.parse,
}
_PIP = re.compile(r"pip(\d+(\.\d+)?)?")
_PYTHON = re.compile(r"python(\d+(\.\d+)?)?")
_PYTHON_VALUED_OPTIONS = frozenset({"-X", "-W"})


def parse_invocation(command: Command) -> Invocation | None:
    name = command.name
    arguments = command.argv[1:]
    if _PIP.fullmatch(name):
        return pip.parse(command, arguments)
    if _PYTHON.fullmatch(name):
        module_arguments = _python_module_arguments(arguments, "pip")
        return None if module_arguments is None else pip.parse(command, module_arguments)
    parser = _PARSERS.get(name)
    return None if parser is None else parser(command, arguments)


def _python_module_arguments(words: tuple[Word, ...], module: str) -> tuple[Word, ...] | None:
    """The arguments after ``-m MODULE`` when python runs ``module``; None otherwise."""
    index = 0
    while index < len(words) and words[index].value.startswith("-"):
        option = words[index].value
        if option.startswith("-m"):
            target = option[2:] or (words[index + 1].value if index + 1 < len(words) else "")
            start = index + (1 if option[2:] else 2)
            return words[start:] if target == module else None
        index += 2 if option in _PYTHON_VALUED_OPTIONS else 1
    return None
