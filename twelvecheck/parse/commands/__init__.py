"""One argument parser per package manager and downloader, shared by every rule.

``parse_invocation(command)`` recognises the tool (through ``python -m pip`` and versioned
names like ``pip3.11``) and returns its typed ``Invocation``, or None for other commands.
"""

from __future__ import annotations

from importlib import import_module

from twelvecheck.parse.commands._invocation import Invocation, Package
from twelvecheck.parse.shell import Command, Word
from twelvecheck.lazy_re import lazy_compile

__all__ = ["INSTALLERS", "Invocation", "Package", "parse_invocation"]

# Tool modules load on first use (each costs ~2 ms of import; a file rarely uses them all).
_PARSERS: dict[str, tuple[str, str]] = {
    "apt-get": ("apt", "parse"), "apt": ("apt", "parse"), "apk": ("apk", "parse"),
    "npm": ("node", "parse_npm"), "yarn": ("node", "parse_yarn"), "gem": ("gem", "parse"),
    "go": ("go", "parse"), "yum": ("rpm", "parse"), "dnf": ("rpm", "parse"),
    "microdnf": ("rpm", "parse"), "tdnf": ("rpm", "parse"), "zypper": ("zypper", "parse"),
    "pacman": ("pacman", "parse"), "emerge": ("emerge", "parse"), "curl": ("curl", "parse"),
    "wget": ("wget", "parse"), "pip": ("pip", "parse"), "git": ("git", "parse"),
    **dict.fromkeys(("rm", "mkdir", "mktemp", "ln", "tar", "gtar", "bsdtar", "useradd", "gpg",
                     "gpg2", "md5sum", "sha1sum", "sha224sum", "sha256sum", "sha384sum",
                     "sha512sum", "b2sum", "shasum"), ("utilities", "parse")),
}
# The package managers: an invocation of one has ``is_install`` and ``packages`` (what it installs).
INSTALLERS = frozenset({"apt-get", "apt", "apk", "yum", "dnf", "microdnf", "tdnf", "zypper", "pacman", "emerge",
                        "pip", "gem", "npm", "yarn", "go"})
_PIP = lazy_compile(r"pip(\d+(\.\d+)?)?")
_PYTHON = lazy_compile(r"python(\d+(\.\d+)?)?")
_PYTHON_VALUED_OPTIONS = frozenset({"-X", "-W"})


def parse_invocation(command: Command) -> Invocation | None:
    name = command.name
    arguments = command.argv[1:]
    if _PIP.fullmatch(name):
        name = "pip"
    elif _PYTHON.fullmatch(name):
        arguments = _python_module_arguments(arguments, "pip")
        if arguments is None:
            return None
        name = "pip"
    if name not in _PARSERS:
        return None
    module, function = _PARSERS[name]
    parse = getattr(import_module(f"twelvecheck.parse.commands.{module}"), function)
    return parse(command, arguments)


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
