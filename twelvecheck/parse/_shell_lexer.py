"""Split shell text into words and operators, the way POSIX sh reads them.

Quotes, escapes, ``$(...)``, ``${...}``, backticks, ``$((...))`` and process substitution are
kept inside their word (substitutions stay opaque text); ``#`` at a word start begins a comment;
here-document bodies are attached to their ``<<`` operator. The lexer never raises: an unclosed
quote or parenthesis runs to the end of the text and is reported in ``errors``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from twelvecheck.lazy_re import lazy_compile
from twelvecheck.parse.words import bounded_int

# Characters that end an unquoted word (plus whitespace).
_PLAIN = lazy_compile(r"[^ \t\r\n;&|()<>\\'\"$`]+")
# What separates words: blanks and line continuations (a '\' ending a line). The word and
# operator patterns below take the separation after them too, saving the lexer a step.
_SEPARATION = r"(?:[ \t\r]|\\\n)*"
_BLANKS = lazy_compile(r"[ \t\r]+" + _SEPARATION)
ASSIGNMENT = lazy_compile(r"[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=")  # NAME=, a[i]=, x+=
_REDIRECTS = ("<<<", "<<-", "<<", "<>", "<&", "<", "&>>", "&>", ">>", ">&", ">|", ">")
_OPERATORS = (";;&", ";;", ";&", ";", "&&", "&", "||", "|&", "|", "(", ")")
# Longest first within each family; redirections before '&' so '&>' is not '&' then '>'.
# Group 1 is the operator.
_OPERATOR = lazy_compile("(" + "|".join(re.escape(op) for op in _REDIRECTS + _OPERATORS)
                         + ")" + _SEPARATION)
_OPERATOR_KIND = {op: "redir" for op in _REDIRECTS} | {op: "op" for op in _OPERATORS}
# Fast path for the commonest word: a plain word (no quote, escape, '$', backtick or operator
# character; not a '#' comment) followed by a character that cannot continue it (blank,
# newline, ';', '&', '|', ')') or the end. Its value is its raw text. Anything else fails the
# lookahead and takes the general path in ``_Lexer._word``: a digit word before '<' or '>' (a
# fd redirection), a word before '(' (an array or extglob), a '\' continuation, a quote.
# Group 1 is the word.
_PLAIN_WORD = lazy_compile(
    r"([^# \t\r\n;&|()<>\\'\"$`][^ \t\r\n;&|()<>\\'\"$`]*)(?=[ \t\r\n;&|)]|\Z)" + _SEPARATION)
_DOUBLE_QUOTED_PLAIN = lazy_compile(r'[^"\\$`]+')  # nothing special inside "..."
_REDIRECT_FD = lazy_compile("|".join(re.escape(op) for op in _REDIRECTS))
_ANSI_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "e": "\x1b",
                 "E": "\x1b", "f": "\f", "v": "\v", "\\": "\\", "'": "'", '"': '"', "?": "?"}


@dataclass(slots=True)
class Token:
    """``kind`` is 'word', 'op', 'redir' or 'newline'; ``text`` the word's value or the
    operator; ``body`` is filled in for a here-document operator once its body is read."""

    kind: str
    text: str
    raw: str
    start: int
    end: int
    fd: int | None = None
    body: str | None = None

    @property
    def quoted(self) -> bool:
        return self.raw != self.text


def tokenize(text: str, errors: list[str]) -> list[Token]:
    return _Lexer(text, errors).run()


class _Lexer:
    def __init__(self, text: str, errors: list[str]) -> None:
        self.text = text
        self.errors = errors
        self.tokens: list[Token] = []
        self.pending_heredocs: list[tuple[Token, str, bool]] = []
        # Looking for the '))' of '((' may scan to the end; a budget keeps '((((...' linear.
        self.arithmetic_budget = 4 * len(text) + 4096

    def run(self) -> list[Token]:
        text, n, i = self.text, len(self.text), 0
        blanks, plain_word, tokens = _BLANKS.match, _PLAIN_WORD.match, self.tokens
        while i < n:
            char = text[i]
            if char in " \t\r":
                i = blanks(text, i).end()
            elif char in ";&|)":  # always an operator, never a word: no checks needed
                i = self._emit_operator(_OPERATOR.match(text, i), i)
            elif (plain := plain_word(text, i)) is not None:
                raw = plain.group(1)
                token = Token("word", raw, raw, i, i + len(raw))
                if tokens and tokens[-1].kind == "redir":  # maybe a here-document delimiter
                    self._emit_word(token, tokens)
                else:
                    tokens.append(token)
                i = plain.end()
            elif char == "\n":
                self._emit(Token("newline", "\n", "\n", i, i + 1))
                i = self._read_heredoc_bodies(i + 1) if self.pending_heredocs else i + 1
            elif char == "#":
                end = text.find("\n", i)
                i = n if end < 0 else end
            elif char == "\\" and text.startswith("\\\n", i):
                i += 2  # line continuation between words
            elif char in "<>(":
                i = self._operator(i) or self._word(i)
            else:
                i = self._word(i)
        return tokens

    def _emit(self, token: Token) -> None:
        if token.kind == "word":
            self._emit_word(token, self.tokens)
        else:
            self.tokens.append(token)

    def _emit_word(self, token: Token, tokens: list[Token]) -> None:
        """Append a word; right after ``<<`` or ``<<-`` it is a here-document's delimiter."""
        if tokens:
            previous = tokens[-1]
            if previous.kind == "redir" and previous.text in ("<<", "<<-"):
                self.pending_heredocs.append((previous, token.text, previous.text == "<<-"))
        tokens.append(token)

    def _operator(self, i: int) -> int:
        """Lex an operator or redirection at ``i``; return the index after it, 0 if none."""
        text = self.text
        if text.startswith(("<(", ">("), i):
            return 0  # process substitution is a word
        if text.startswith("((", i) and self.arithmetic_budget > 0:
            end = _skip_parens(text, i + 2, depth=2)
            self.arithmetic_budget -= min(end, len(text)) - i
            if end <= len(text) and text[end - 2:end] == "))":
                return self._arith_command(i, end)
        match = _OPERATOR.match(text, i)
        return 0 if match is None else self._emit_operator(match, i)

    def _emit_operator(self, match: re.Match, i: int) -> int:
        """Emit the operator ``_OPERATOR`` matched at ``i``; return the index after it."""
        op = match.group(1)
        self.tokens.append(Token(_OPERATOR_KIND[op], op, op, i, i + len(op)))
        return match.end()

    def _arith_command(self, start: int, end: int) -> int:
        raw = self.text[start:end]
        self._emit(Token("word", raw, raw, start, end))
        return end

    def _word(self, start: int) -> int:
        text, n = self.text, len(self.text)
        parts: list[str] = []
        i = start
        while i < n:
            plain = _PLAIN.match(text, i)
            if plain:
                parts.append(plain.group())
                i = plain.end()
                continue
            char = text[i]
            if char == "\\":
                if text.startswith("\\\n", i):
                    i += 2
                else:  # a trailing backslash stays literal
                    parts.append(text[i + 1:i + 2] or "\\")
                    i = min(i + 2, n)
            elif char == "'":
                i = self._single_quoted(i, parts)
            elif char == '"':
                i = self._double_quoted(i + 1, parts)
            elif char == "$" and text.startswith("$'", i):
                i = self._ansi_quoted(i + 2, parts)
            elif char == "$" and text.startswith('$"', i):
                i = self._double_quoted(i + 2, parts)
            elif char in "$`<>" and (end := self._substitution_end(i)) > i:
                parts.append(text[i:end])
                i = end
            elif char == "(" and self._opens_word_parens(start, i):
                end = self._checked(_skip_parens(text, i + 1), "')' in a word")
                parts.append(text[i:end])
                i = end
            elif char == "$":
                parts.append("$")
                i += 1
            else:
                break
        if i == start:  # a lone character no rule above took: keep it as a word, never stall
            i += 1
            parts.append(text[start])
        raw = text[start:i]
        value = "".join(parts)
        if raw.isascii() and raw.isdigit() and i < n and text[i] in "<>":
            return self._fd_redirect(bounded_int(raw), start, i)
        self._emit(Token("word", value, raw, start, i))
        return i

    def _fd_redirect(self, fd: int, start: int, i: int) -> int:
        end = _REDIRECT_FD.match(self.text, i).end()  # the caller saw '<' or '>'
        self._emit(Token("redir", self.text[i:end], self.text[start:end], start, end, fd))
        return end

    def _opens_word_parens(self, start: int, i: int) -> bool:
        """``arr=(a b)`` and extglobs like ``!(x)`` keep their parentheses inside the word."""
        before = self.text[start:i]
        return bool(before) and (before[-1] in "@!?*+" or ASSIGNMENT.fullmatch(before))

    def _substitution_end(self, i: int) -> int:
        text = self.text
        if text.startswith(("$(", "<(", ">("), i):
            return self._checked(_skip_parens(text, i + 2), "')' of a substitution")
        if text.startswith("${", i):
            return self._checked(_skip_braces(text, i + 2), "'}' of ${...}")
        if text[i] == "`":
            return self._checked(_skip_backticks(text, i + 1), "closing backtick")
        return i

    def _checked(self, end: int, what: str) -> int:
        if end > len(self.text):
            self.errors.append(f"missing {what}")
            return len(self.text)
        return end

    def _single_quoted(self, i: int, parts: list[str]) -> int:
        end = self.text.find("'", i + 1)
        if end < 0:
            self.errors.append(f"unterminated single quote at offset {i}")
            parts.append(self.text[i + 1:])
            return len(self.text)
        parts.append(self.text[i + 1:end])
        return end + 1

    def _double_quoted(self, i: int, parts: list[str]) -> int:
        """Read after an opening ``"``; inside, backslash only escapes ``$ ` " \\`` and newline."""
        text, n = self.text, len(self.text)
        opened = i - 1
        while i < n:
            plain = _DOUBLE_QUOTED_PLAIN.match(text, i)
            if plain:  # a run of characters that stand for themselves, taken at once
                parts.append(plain.group())
                i = plain.end()
                continue
            char = text[i]
            if char == '"':
                return i + 1
            if char == "\\" and i + 1 < n and text[i + 1] in '$`"\\\n':
                if text[i + 1] != "\n":
                    parts.append(text[i + 1])
                i += 2
            elif char in "$`" and (end := self._substitution_end(i)) > i:
                parts.append(text[i:end])
                i = end
            else:
                parts.append(char)
                i += 1
        self.errors.append(f"unterminated double quote at offset {opened}")
        return n

    def _ansi_quoted(self, i: int, parts: list[str]) -> int:
        text, n = self.text, len(self.text)
        while i < n:
            char = text[i]
            if char == "'":
                return i + 1
            if char == "\\" and i + 1 < n:
                parts.append(_ANSI_ESCAPES.get(text[i + 1], "\\" + text[i + 1]))
                i += 2
            else:
                parts.append(char)
                i += 1
        self.errors.append("unterminated $'...' string")
        return n

    def _read_heredoc_bodies(self, i: int) -> int:
        """Here-document bodies start on the line after their ``<<WORD``, in order."""
        text = self.text
        for operator, delimiter, strip_tabs in self.pending_heredocs:
            lines: list[str] = []
            while i < len(text):
                end = text.find("\n", i)
                end = len(text) if end < 0 else end
                line = text[i:end]
                i = end + 1
                if (line.lstrip("\t") if strip_tabs else line) == delimiter:
                    break
                lines.append(line.lstrip("\t") if strip_tabs else line)
            else:
                self.errors.append(f"here-document '{delimiter}' is not closed")
            operator.body = "\n".join(lines) + ("\n" if lines else "")
        self.pending_heredocs.clear()
        return min(i, len(text))


def _skip_parens(text: str, i: int, depth: int = 1) -> int:
    """Index after the ``)`` that closes ``depth`` open parentheses; ``len(text) + 1`` if none.

    Quotes and nested substitutions are skipped so a ``)`` inside them does not count."""
    n = len(text)
    while i < n:
        char = text[i]
        if char == "\\":
            i += 2
        elif char == "'":
            end = text.find("'", i + 1)
            i = n if end < 0 else end + 1
        elif char == '"':
            i = _skip_double(text, i + 1)
        elif char == "`":
            i = _skip_backticks(text, i + 1)
        elif char == "(":
            depth += 1
            i += 1
        elif char == ")":
            depth -= 1
            i += 1
            if depth == 0:
                return i
        else:
            i += 1
    return n + 1


def _skip_braces(text: str, i: int) -> int:
    depth, n = 1, len(text)
    while i < n:
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if char == "'":
            end = text.find("'", i + 1)
            i = n if end < 0 else end + 1
            continue
        if char == '"':
            i = _skip_double(text, i + 1)
            continue
        depth += {"{": 1, "}": -1}.get(char, 0)
        i += 1
        if depth == 0:
            return i
    return n + 1


def _skip_double(text: str, i: int) -> int:
    n = len(text)
    while i < n:
        char = text[i]
        if char == "\\":
            i += 2
        elif char == '"':
            return i + 1
        elif text.startswith("$(", i):
            i = min(_skip_parens(text, i + 2), n)
        elif char == "`":
            i = _skip_backticks(text, i + 1)
        else:
            i += 1
    return n


def _skip_backticks(text: str, i: int) -> int:
    n = len(text)
    while i < n:
        if text[i] == "\\":
            i += 2
        elif text[i] == "`":
            return i + 1
        else:
            i += 1
    return n + 1
