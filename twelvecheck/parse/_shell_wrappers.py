"""Commands that run another command: ``sudo apt-get ...``, ``env X=1 pip ...``, ``sh -c '...'``.

The wrapper stays a command of the script (a rule about ``sudo`` must see it) and the command it
runs is added after it, so a rule about ``apt-get`` finds it however it is launched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

from twelvecheck.lazy_re import lazy_compile
from twelvecheck.parse._shell_lexer import _skip_backticks, _skip_parens
from twelvecheck.parse._shell_model import Command, Word

# Per wrapper: options that take a value (short letters and long names), and how many operands
# come before the wrapped command (``gosu USER cmd``, ``timeout 10 cmd``).
_WRAPPERS: dict[str, tuple[frozenset[str], int]] = {
    "sudo": (frozenset("ugCDhprtUT") | {"--user", "--group", "--chdir", "--prompt", "--host",
                                         "--role", "--type", "--other-user", "--close-from",
                                         "--command-timeout"}, 0),
    "doas": (frozenset("uC"), 0),
    "env": (frozenset("uCS") | {"--unset", "--chdir", "--split-string"}, 0),
    "nohup": (frozenset(), 0),
    "setsid": (frozenset(), 0),  # 'setsid cron; tmux': cron still starts
    "stdbuf": (frozenset("ioe") | {"--input", "--output", "--error"}, 0),
    "ionice": (frozenset("cnp") | {"--class", "--classdata", "--pid"}, 0),
    "runuser": (frozenset("ugG") | {"--user", "--group", "--supp-group"}, 0),
    "s6-setuidgid": (frozenset(), 1),
    "time": (frozenset("fo") | {"--format", "--output"}, 0),
    "nice": (frozenset("n") | {"--adjustment"}, 0),
    "exec": (frozenset("a"), 0),
    "xargs": (frozenset("aEeIiLlnPsd") | {"--arg-file", "--eof", "--replace", "--max-lines",
                                          "--max-args", "--max-procs", "--max-chars",
                                          "--delimiter", "--process-slot-var"}, 0),
    "timeout": (frozenset("sk") | {"--signal", "--kill-after"}, 1),
    "gosu": (frozenset(), 1),
    "su-exec": (frozenset(), 1),
    "chroot": (frozenset({"--userspec", "--groups"}), 1),
}
_SHELLS = frozenset({"sh", "bash", "dash", "ash", "zsh", "ksh", "mksh"})
# Every command ``unwrap`` looks into; it yields nothing for any other.
WRAPPER_NAMES = frozenset(_WRAPPERS) | _SHELLS | {"su"}
# Options whose value may stick to the letter (``xargs -I{}``, ``nice -n10``) take the rest of
# the bundle; the ones below take it only when given alone (``xargs -i`` has an optional value).
_OPTIONAL_VALUE = {"xargs": frozenset("ile")}
MAX_DEPTH = 8
MAX_WRAPPERS = 16  # 'sudo env nice ...': deeper chains are not real scripts

ParseString = Callable[[str, int], tuple[list[Command], list[str]]]


def unwrap(command: Command, parse_string: ParseString, errors: list[str],
           chain: int = 0) -> Iterator[Command]:
    """Yield the commands ``command`` runs, recursively (``sudo sh -c 'apt-get ...'``)."""
    if command.depth >= MAX_DEPTH or chain >= MAX_WRAPPERS:
        return
    name = command.name
    if name in _SHELLS:
        yield from _shell_string(command, _shell_c_argument(command.argv[1:]), f"{name} -c",
                                 parse_string, errors)
    elif name == "su":
        yield from _shell_string(command, _su_c_argument(command.argv[1:]), "su -c",
                                 parse_string, errors)
    elif name in _WRAPPERS:
        inner = _wrapped(command, name)
        if inner is not None:
            yield inner
            yield from unwrap(inner, parse_string, errors, chain + 1)


def _wrapped(command: Command, name: str) -> Command | None:
    takes_value, leading_operands = _WRAPPERS[name]
    if command.depth >= MAX_DEPTH:
        return
    words = command.argv[1:]
    index = _skip_options(words, takes_value, _OPTIONAL_VALUE.get(name, frozenset()))
    assignments = []
    if name in ("env", "sudo"):
        while index < len(words) and "=" in words[index].value \
                and not words[index].value.startswith("="):
            assignments.append(words[index])
            index += 1
    index += leading_operands
    if index >= len(words):
        return None
    return replace(command, argv=words[index:], assignments=tuple(assignments),
                   start=words[index].start, wrapped_by=name)


def _skip_options(words: tuple[Word, ...], takes_value: frozenset[str],
                  optional_value: frozenset[str]) -> int:
    """Index of the first word after the wrapper's own options."""
    index = 0
    while index < len(words):
        word = words[index].value
        if word == "--":
            return index + 1
        if not word.startswith("-") or word == "-":
            return index
        index += 1
        if word.startswith("--"):
            if "=" not in word and word in takes_value:
                index += 1
            continue
        for position, letter in enumerate(word[1:], start=1):
            if letter in takes_value and letter not in optional_value:
                value_is_next_word = position == len(word) - 1
                if value_is_next_word:
                    index += 1
                break
    return index


def _shell_c_argument(words: tuple[Word, ...]) -> Word | None:
    """The script string of ``sh -c``, ``bash -euxc``, ``sh -o pipefail -c``; None without -c."""
    has_c = False
    index = 0
    while index < len(words):
        word = words[index].value
        if word == "--":
            index += 1
            break
        if word.startswith("--"):  # --login, --norc
            index += 1
            continue
        if len(word) < 2 or word[0] not in "-+":
            break
        letters = word[1:]
        has_c = has_c or (word[0] == "-" and "c" in letters)
        index += 2 if "o" in letters or "O" in letters else 1  # -o takes an option name
    return words[index] if has_c and index < len(words) else None


def _su_c_argument(words: tuple[Word, ...]) -> Word | None:
    for index, word in enumerate(words):
        if word.value in ("-c", "--command") and index + 1 < len(words):
            return words[index + 1]
        if word.value.startswith("--command="):
            start = len("--command=")
            return Word(word.value[start:], word.raw, word.start, word.end)
    return None


def _shell_string(command: Command, script: Word | None, label: str,
                  parse_string: ParseString, errors: list[str]) -> Iterator[Command]:
    if script is None:
        return
    inner_commands, inner_errors = parse_string(script.value, command.depth + 1)
    errors.extend(f"in {label} string: {error}" for error in inner_errors)
    base = _exact_base(script)
    for inner in inner_commands:
        if base is None:
            inner = _collapse(inner, script)
        else:
            inner = _shift(inner, base)
        # The string's last command is followed by whatever follows the sh -c command.
        yield replace(inner, wrapped_by=inner.wrapped_by or label,
                      connector=inner.connector or command.connector)


def _exact_base(script: Word) -> int | None:
    """Where the string's value starts in the outer text, when characters map one to one."""
    raw, value = script.raw, script.value
    if raw == value:
        return script.start
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"" and raw[1:-1] == value:
        return script.start + 1
    return None


def _shift(command: Command, base: int) -> Command:
    def word(w: Word) -> Word:
        return Word(w.value, w.raw, w.start + base, w.end + base)

    return replace(command, argv=tuple(map(word, command.argv)),
                   assignments=tuple(map(word, command.assignments)),
                   redirects=tuple(replace(r, target=word(r.target)) for r in command.redirects),
                   start=command.start + base, end=command.end + base)


def _collapse(command: Command, script: Word) -> Command:
    """Escapes make inner offsets unmappable: every word spans the whole string, and its
    ``raw`` is the string's source so that ``text[start:end] == raw`` still holds."""
    def word(w: Word) -> Word:
        return Word(w.value, script.raw, script.start, script.end)

    return replace(command, argv=tuple(map(word, command.argv)),
                   assignments=tuple(map(word, command.assignments)),
                   redirects=tuple(replace(r, target=word(r.target)) for r in command.redirects),
                   start=script.start, end=script.end)



def substitutions(command: Command, parse_string: ParseString,
                  errors: list[str]) -> Iterator[Command]:
    """The commands inside ``$(...)`` and backticks of the command's words: they run too
    (``v=$(curl -s URL | jq .x)``), in a subshell of their own."""
    if command.depth >= MAX_DEPTH:
        return
    words = command.argv + command.assignments
    if command.redirects:
        words += tuple(r.target for r in command.redirects)
    for word in words:
        if "$(" not in word.raw and "`" not in word.raw:
            continue  # fast path: most words hold no substitution
        for start, end in _substitution_spans(word.raw):
            inner_commands, inner_errors = parse_string(word.raw[start:end], command.depth + 1)
            errors.extend(f"in $(...): {error}" for error in inner_errors)
            for inner in inner_commands:
                yield replace(_shift(inner, word.start + start), in_subshell=True,
                              wrapped_by=inner.wrapped_by or "$(...)",
                              connector=inner.connector or command.connector)


# The characters ``_substitution_spans`` acts on; it steps over every other one.
_SUBSTITUTION_OR_SKIPPED = lazy_compile(r"[\\'`]|\$\(")


def _substitution_spans(raw: str) -> Iterator[tuple[int, int]]:
    """(start, end) of the text inside each top-level ``$(...)`` or backtick pair of ``raw``;
    arithmetic ``$((...))`` and single-quoted text are skipped."""
    n = len(raw)
    # Only a backslash, a quote, a backtick or '$(' changes anything: jump from one to the next.
    found = _SUBSTITUTION_OR_SKIPPED.search(raw)
    while found is not None:
        i = found.start()
        char = raw[i]
        if char == "\\":
            i += 2
        elif char == "'":
            closing = raw.find("'", i + 1)
            i = n if closing < 0 else closing + 1
        elif raw.startswith("$((", i):
            i = min(_skip_parens(raw, i + 2), n)
        elif char == "$":  # '$('
            end = _skip_parens(raw, i + 2)
            if end <= n:
                yield i + 2, end - 1
            i = min(end, n)
        else:  # '`'
            end = _skip_backticks(raw, i + 1)
            if end <= n:
                yield i + 1, end - 1
            i = min(end, n)
        found = _SUBSTITUTION_OR_SKIPPED.search(raw, i)
