"""Word splitting the way BuildKit's Dockerfile parser does it, before any variable expansion.

These mirror the line parsers of BuildKit's ``parser`` package, so that the values we hand to
rules are the values BuildKit builds with. Quotes are kept in the words: they are removed later,
during expansion (``twelvecheck.parse.expand``).
"""

from __future__ import annotations

import json
import re
from twelvecheck.lazy_re import lazy_compile

WHITESPACE = lazy_compile(r"[\t\v\f\r ]+")


class NotStringArray(ValueError):
    """A JSON array whose items are not all strings: BuildKit refuses the instruction."""


def split_whitespace(text: str) -> list[str]:
    """BuildKit's ``parseStringsWhitespaceDelimited``: split on runs of blanks."""
    if text == "":
        return []
    return WHITESPACE.split(text)


def split_words(text: str, escape: str) -> list[str]:
    """BuildKit's ``parseWords``: blank-separated words; quotes and escapes are kept in the word."""
    return [word for word, _, _ in split_words_at(text, escape)]


_PLAIN_RUNS: dict[str, tuple[re.Pattern[str], dict[str, re.Pattern[str]]]] = {}


def _plain_runs(escape: str) -> tuple[re.Pattern[str], dict[str, re.Pattern[str]]]:
    """Runs of characters a word takes as they are: outside quotes (no blank, quote or escape),
    and inside each kind of quote (no closing quote; no escape inside double quotes)."""
    found = _PLAIN_RUNS.get(escape)
    if found is None:
        token = re.escape(escape)
        found = _PLAIN_RUNS[escape] = (re.compile(f"[^\\s'\"{token}]+"),
                                       {"'": re.compile("[^']+"), '"': re.compile(f'[^"{token}]+')})
    return found


def split_words_at(text: str, escape: str) -> list[tuple[str, int, int]]:
    """``split_words`` with each word's start and end offset in ``text``."""
    unquoted_run, quoted_runs = _plain_runs(escape)
    words: list[tuple[str, int, int]] = []
    word: list[str] = []
    in_word = False
    quote = ""
    blank_ok = False
    start = 0
    pos, end = 0, len(text)
    while pos < end:
        ch = text[pos]
        if not in_word and not quote:
            if ch.isspace():
                pos += 1
                continue
            in_word, start = True, pos
        if quote:
            run = quoted_runs[quote].match(text, pos)
            if run is not None:  # ordinary characters: taken at once
                word.append(run.group())
                pos = run.end()
                continue
            if ch == quote:
                quote = ""
            elif ch == escape and quote != "'":
                if pos + 1 == end:
                    quote = ""
                    pos += 1
                    continue
                word.append(ch)
                pos += 1
                ch = text[pos]
            word.append(ch)
            pos += 1
            continue
        run = unquoted_run.match(text, pos)
        if run is not None:
            word.append(run.group())
            pos = run.end()
            continue
        if ch.isspace():
            if blank_ok or word:
                words.append(("".join(word), start, pos))
            word, in_word, blank_ok = [], False, False
            pos += 1
            continue
        if ch in "'\"":
            quote = ch
            blank_ok = True
        elif ch == escape:
            if pos + 1 == end:
                pos += 1
                continue
            word.append(ch)
            pos += 1
            ch = text[pos]
        word.append(ch)
        pos += 1
    if (in_word or quote) and (blank_ok or word):
        words.append(("".join(word), start, end))
    return words


def _refuse_constant(name: str) -> None:
    raise ValueError(f"not JSON: {name}")


_DECODER = json.JSONDecoder(parse_constant=_refuse_constant)


def parse_json_array(text: str) -> list[str] | None:
    """The exec form: a JSON array of strings, or None when ``text`` is not a JSON array.

    Like BuildKit (a streaming JSON decoder), only the first JSON value is read: anything after
    the closing bracket is ignored. Raises ``NotStringArray`` when the array holds something
    other than strings.
    """
    text = text.lstrip()
    if not text.startswith("["):
        return None
    try:
        value, _ = _DECODER.raw_decode(text)
    except (ValueError, RecursionError):  # RecursionError: `CMD [[[[…` thousands deep, as Go's
        return None  # decoder past its depth limit: not JSON, so the shell form
    if not isinstance(value, list):
        return None
    if not all(isinstance(item, str) for item in value):
        raise NotStringArray("when using JSON array syntax, arrays must be comprised of strings only")
    return value


def split_shell_words(line: str) -> list[str]:
    """Words of a line as BuildKit's shell lexer splits them with raw quotes and escapes kept.

    Used to find heredoc markers (``<<EOF``); a quoted ``"<<EOF"`` stays one quoted word and so is
    not a heredoc. An unterminated quote makes BuildKit's lexer fail: no words at all.
    """
    words: list[str] = []
    word: list[str] = []
    started = False
    quote = ""
    pos, end = 0, len(line)
    while pos < end:
        ch = line[pos]
        if quote:
            word.append(ch)
            if ch == quote:
                quote = ""
            elif ch == "\\" and quote == '"' and pos + 1 < end:
                pos += 1
                word.append(line[pos])
            pos += 1
            continue
        if ch.isspace():
            if started:
                words.append("".join(word))
                word, started = [], False
            pos += 1
            continue
        started = True
        word.append(ch)
        if ch in "'\"":
            quote = ch
        elif ch == "\\" and pos + 1 < end:
            pos += 1
            word.append(line[pos])
        pos += 1
    if quote:
        return []
    if started:
        words.append("".join(word))
    return words


def unquote_shell_word(word: str) -> tuple[str, bool]:
    """Remove shell quotes and escapes from one word; report whether any quoting was present."""
    out: list[str] = []
    quoted = False
    quote = ""
    pos = 0
    while pos < len(word):
        ch = word[pos]
        if quote:
            if ch == quote:
                quote = ""
            elif ch == "\\" and quote == '"' and pos + 1 < len(word) and word[pos + 1] in '"\\$`':
                pos += 1
                out.append(word[pos])
            else:
                out.append(ch)
        elif ch in "'\"":
            quote = ch
            quoted = True
        elif ch == "\\" and pos + 1 < len(word):
            pos += 1
            quoted = True
            out.append(word[pos])
        else:
            out.append(ch)
        pos += 1
    return "".join(out), quoted


NUMBER_CAP = 10**18  # past any port, uid, fd or duration a rule compares against


def bounded_int(text: str) -> int | None:
    """The value of a run of decimal digits, or None when ``text`` is not one. A number too long
    to matter is ``NUMBER_CAP``: ``int()`` refuses more than 4300 digits, and ``"²".isdigit()``
    holds while ``int("²")`` fails, so rules never call ``int()`` on file text themselves."""
    text = text.strip()
    if not text or not text.isdecimal():
        return None
    stripped = text.lstrip("0") or "0"
    return int(stripped) if len(stripped) <= 18 else NUMBER_CAP
