"""What several shell rules need: package pinning, leftovers removed in the same RUN (or kept
out of the layer by a mount), files downloaded by the RUN, variables known at a command."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Iterator
from dataclasses import replace
from fnmatch import fnmatch

from twelvecheck.findings import Finding
from twelvecheck.parse.commands import Invocation, parse_invocation
from twelvecheck.parse.expand import expand
from twelvecheck.parse.shell import Command, Word
from twelvecheck.rules.mounts import caches_path, mounts
from twelvecheck.rules.run_scripts import RunScript
from twelvecheck.lazy_re import lazy_compile

SHELLS = frozenset({"sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "busybox"})


# --- variables -------------------------------------------------------------------------------

def variables_at(ctx, run: RunScript, offset: int) -> dict[str, str]:
    """ARG/ENV values in scope, plus plain ``NAME=value`` and ``export NAME=value`` steps of
    the script that come before ``offset`` (``buildDeps='a b'; apt-get install $buildDeps``).
    An ARG without a default is left out: its value comes with the build (``--build-arg``)."""
    unknown = ctx.build_time_variables_at(run.instruction)
    variables = {name: value for name, value in ctx.variables_at(run.instruction).items() if name not in unknown}
    for command in run.commands:
        if command.start >= offset or command.depth:
            continue
        words = command.assignments if not command.argv else \
            command.argv[1:] if command.name in ("export", "readonly", "local", "declare") else ()
        for word in words:
            name, equals, value = word.value.partition("=")
            if not (equals and name.isidentifier()):
                continue
            expansion = expand(value, variables, ctx.dockerfile.escape)
            if expansion.missing or _substitutes(value):
                # known only when the build runs (runDeps="$(scanelf … | awk …)"): the name
                # is unknown from here on, not the command's text
                variables.pop(name, None)
            else:
                variables[name] = expansion.value
    return variables


def _substitutes(value: str) -> bool:
    """A value made by running a command: ``$(…)`` or backticks (``$((…))`` is arithmetic)."""
    return "`" in value or "$(" in value.replace("$((", "")


def expanded_invocation(ctx, run: RunScript, command: Command) -> Invocation | None:
    """The command's invocation with ``$VARS`` replaced by their known values (a value with
    spaces becomes several words); words whose variables are unknown stay as written."""
    if not any("$" in word.value for word in command.argv):
        return run.invocation(command)
    variables = variables_at(ctx, run, command.start)
    argv: list[Word] = []
    for word in command.argv:
        expansion = expand(word.value, variables, ctx.dockerfile.escape) if "$" in word.value else None
        if expansion is None or expansion.missing or "$(" in word.value or "`" in word.value:
            argv.append(word)
            continue
        # The shell splits an unquoted expansion into words (BuildKit's expansion does not).
        parts = expansion.value.split() if '"' not in word.raw else [expansion.value]
        argv.extend(Word(part, word.raw, word.start, word.end) for part in parts)
    return parse_invocation(replace(command, argv=tuple(argv)))


# --- package pinning -------------------------------------------------------------------------

def unpinned(ctx, run: RunScript, command: Command) -> list[str]:
    """Names of registry packages the command installs without a version; packages held in a
    variable whose value is unknown here are not judged."""
    invocation = expanded_invocation(ctx, run, command)
    if invocation is None or not (invocation.is_install or invocation.tool == "go"):
        return []
    if invocation.tool == "pip" and invocation.has("constraint"):
        return []  # a constraints file fixes the versions
    return [package.name for package in invocation.packages
            if not package.pinned and package.source == "registry"]


def pinning_findings(ctx, run: RunScript, command: Command, tool: str,
                     how: str) -> Iterator[Finding]:
    """One finding per ``tool`` command naming its unpinned packages; ``how`` shows a pinned
    form."""
    invocation = run.invocation(command)
    if invocation is None or invocation.tool != tool:
        return
    names = unpinned(ctx, run, command)
    if names:
        shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        subcommand = run.invocation(command).subcommand or ""
        yield Finding(run.command_span(command),
                      f"{command.name} {subcommand} installs {shown} without a pinned version"
                      .replace("  ", " "),
                      hint=f"pin each package: {how}")


# --- leftovers -------------------------------------------------------------------------------

_BRACED_VARIABLE = lazy_compile(r"\$\{(\w+)\}")


def covers(removed: str, path: str) -> bool:
    """``rm`` of ``removed`` deletes ``path``: the same path, a parent directory or a glob.
    ``${dir}`` and ``$dir`` are the same spelling."""
    removed, path = _BRACED_VARIABLE.sub(r"$\1", removed), _BRACED_VARIABLE.sub(r"$\1", path)
    removed, path = removed.rstrip("/") or "/", path.rstrip("/") or "/"
    if removed in (path, path + "/*", path + "/.*") or path.startswith(removed + "/"):
        return True
    return any(char in removed for char in "*?[") and (
        fnmatch(path, removed) or fnmatch(path, removed + "/*")
        or path.startswith(removed.rstrip("*").rstrip("/") + "/") and removed.endswith("/*"))


def in_working_directory(run: RunScript, path: str, at: Command) -> str:
    """``path`` as seen from the directory the ``cd`` steps before command ``at`` lead to
    (``cd "$tempDir" && tar -xf x.tgz`` extracts ``$tempDir/x.tgz``); unchanged when absolute
    or when no ``cd`` came before (a ``cd $dir`` counts as naming a directory; a relative
    ``cd`` from an unknown place gives a relative directory). Subshells are not tracked: a ``cd`` in
    ``( ... )`` counts for the commands after it too. Source order is the order of
    ``run.commands``: commands unwrapped from ``su -c "..."`` share the string's offset."""
    directory = None
    for command in run.commands:
        if command is at:
            break
        if command.name != "cd":
            continue
        target = command.args[-1] if command.args else ""
        if not target or target == "-":
            directory = None
        elif target.startswith(("/", "$")) or directory is None:
            directory = target
        else:
            directory = posixpath.normpath(posixpath.join(directory, target))
            directory = None if directory == "." else directory  # 'cd x && cd ..': back where it began
    if directory is None or _anchored(path):
        return path
    return posixpath.normpath(posixpath.join(directory, path))


_DIRECTORY_VARIABLE = lazy_compile(r"\$(\w+|\{\w+\})(/|$)")


def _anchored(path: str) -> bool:
    """Absolute, under ``~``, or under a directory variable (``$tmp/x``, not ``${V}.tgz``)."""
    return path.startswith(("/", "~")) or _DIRECTORY_VARIABLE.match(path) is not None


def removed_paths(run: RunScript, after: int = -1) -> list[str]:
    """Operands of ``rm`` commands after ``after``, seen from the directory their ``cd`` steps
    lead to (``cd /tmp && … && rm app.tgz`` removes ``/tmp/app.tgz``)."""
    found = []
    for command in run.commands:
        if command.name == "rm" and command.start > after:
            found.extend(_home_as_root(in_working_directory(run, path, command))
                         for path in run.invocation(command).paths)
    return found


_HOME = lazy_compile(r"^(~|\$HOME|\$\{HOME\})(?=/|$)")


def _home_as_root(path: str) -> str:
    """``~/.cache/pip`` and ``$HOME/.npm`` as the paths cache rules name: RUN runs as root
    unless USER says otherwise, and those rules list the other users' homes themselves."""
    return _HOME.sub("/root", path)


def removes(run: RunScript, path: str, after: int = -1) -> bool:
    return any(covers(removed, path) for removed in removed_paths(run, after))


def kept_in_layer(run: RunScript, paths: Iterable[str], after: int = -1) -> bool:
    """None of ``paths`` is removed later in the script nor kept out by a cache/tmpfs mount."""
    paths = list(paths)
    return not any(caches_path(run.instruction, path) or removes(run, path, after) for path in paths)


def mounted(run: RunScript, path: str) -> bool:
    """Any mount (bind, cache, tmpfs, secret) covers ``path``: it never reaches the layer."""
    path = path.rstrip("/")
    return any(m.target and (path == m.target or path.startswith(m.target + "/"))
               for m in mounts(run.instruction))


def downloads(run: RunScript) -> list[tuple[Command, str]]:
    """(command, file) for each file curl or wget saves in this script."""
    found = []
    for command in run.all_commands:
        invocation = run.invocation(command)
        if invocation is None or invocation.tool not in ("curl", "wget"):
            continue
        output = invocation.output
        if output and output != "-":
            found.append((command, output))
        elif invocation.tool == "wget" or invocation.has("remote-name") or invocation.has("remote-name-all"):
            if not (invocation.tool == "wget" and output == "-"):
                found.extend((command, url.split("?")[0].rstrip("/").rsplit("/", 1)[-1])
                             for url in invocation.urls)
    return found


def downloaded_here(run: RunScript, path: str) -> bool:
    """``path`` names a file this script downloaded (compared by path, then by file name)."""
    name = path.rsplit("/", 1)[-1]
    return any(saved == path or saved.rsplit("/", 1)[-1] == name for _, saved in downloads(run))


def shell_wrapper_options(run: RunScript, command: Command) -> list[tuple[str, ...]]:
    """The argument lists of the ``sh``/``bash`` commands whose ``-c`` string holds ``command``."""
    return [outer.args for outer in run.commands
            if outer.name in SHELLS and outer.depth < command.depth
            and outer.start <= command.start and command.end <= outer.end]


# yum/dnf commands that ask for confirmation (yum(8), dnf(8)).
PROMPTING_RPM = frozenset({"install", "group-install", "reinstall", "remove", "update", "upgrade",
                           "downgrade", "distro-sync", "autoremove"})


def assigned_variable(run: RunScript, command: Command) -> str | None:
    """``NAME`` when ``command`` runs inside ``NAME=$(...)`` (or ``export NAME=$(...)``)."""
    for outer in run.commands:
        for word in outer.assignments + outer.argv[1:]:
            name, equals, _ = word.value.partition("=")
            if equals and name.isidentifier() and word.start <= command.start < word.end:
                return name
    return None


def left_behind(run: RunScript, path: str, after: int) -> bool:
    """``path`` was downloaded by this RUN and is neither removed later nor on a mount."""
    return downloaded_here(run, path) and not removes(run, path, after) and not mounted(run, path)
