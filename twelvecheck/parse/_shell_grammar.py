"""Turn tokens into the flat list of simple commands a script runs.

A small recursive-descent reader of the POSIX grammar: lists (``;`` ``&`` newline), and-or
lists, pipelines, ``( )`` and ``{ }`` groups, if / for / while / until / case, function
definitions and ``[[ ]]``. Compound commands are not kept as nodes: rules ask about the
commands, so each body simply adds its commands. Anything unexpected is reported in ``errors``
and skipped, so one odd token never hides the rest of the script.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from twelvecheck.parse._shell_lexer import ASSIGNMENT, Token
from twelvecheck.parse._shell_model import Command, Redirect, Word

_RESERVED = frozenset({"then", "elif", "else", "fi", "do", "done", "esac", "}", "in"})
_CASE_END = frozenset({";;", ";&", ";;&"})
_ENDS_EVERY_LIST = _CASE_END | {")"}  # operators that end a list whatever its terminators
_NO_TERMINATORS: frozenset[str] = frozenset()
_COMPOUNDS = {"{": "_brace_group", "if": "_if", "for": "_for", "select": "_for",
              "while": "_while", "until": "_while", "case": "_case", "function": "_function"}
# Far beyond real scripts, well within Python's recursion limit.
MAX_NESTING = 100


@dataclass(slots=True)
class _Draft:
    """A command being read; frozen into a ``Command`` when the script is done."""

    start: int
    depth: int
    in_subshell: bool
    argv: list[Word] = field(default_factory=list)
    assignments: list[Word] = field(default_factory=list)
    redirects: list[Redirect] = field(default_factory=list)
    end: int = 0
    connector: str | None = None
    pipe_position: int = 0
    pipeline_length: int = 1
    negated: bool = False
    background: bool = False

    def freeze(self) -> Command:
        return Command(tuple(self.argv), tuple(self.assignments), tuple(self.redirects),
                       self.start, self.end, self.connector, self.pipe_position,
                       self.pipeline_length, self.negated, self.in_subshell, self.background,
                       self.depth)


def parse_tokens(tokens: list[Token], depth: int, errors: list[str]) -> list[Command]:
    reader = _Reader(tokens, depth, errors)
    reader.parse_list(frozenset())
    while reader.peek() is not None:  # a stray ')' or 'fi' ends parse_list early: go on after it
        reader.skip_unexpected()
        reader.parse_list(frozenset())
    return [draft.freeze() for draft in reader.drafts]


def _word(token: Token) -> Word:
    return Word(token.text, token.raw, token.start, token.end)


class _Reader:
    """Reads the token list from ``i`` on. Operator and newline tokens are never quoted (their
    raw text is their text): the checks below ask ``quoted`` of words only."""

    def __init__(self, tokens: list[Token], depth: int, errors: list[str]) -> None:
        self.tokens = tokens
        self.count = len(tokens)
        self.i = 0
        self.depth = depth
        self.in_subshell = False
        self.nesting = 0
        self.errors = errors
        self.drafts: list[_Draft] = []

    # -- token access -------------------------------------------------------------------------

    def peek(self, ahead: int = 0) -> Token | None:
        index = self.i + ahead
        return self.tokens[index] if index < self.count else None

    def at(self, kind: str, texts: frozenset[str] | tuple[str, ...]) -> bool:
        token = self.peek()
        return token is not None and token.kind == kind and token.text in texts \
            and token.raw == token.text

    def at_op(self, texts: frozenset[str] | tuple[str, ...]) -> bool:
        """``at("op", texts)`` for the hot paths."""
        i = self.i
        if i >= self.count:
            return False
        token = self.tokens[i]
        return token.kind == "op" and token.text in texts

    def at_keyword(self, *words: str) -> bool:
        return self.at("word", words)

    def expect_keyword(self, word: str) -> None:
        if self.at_keyword(word):
            self.i += 1
        else:
            self.errors.append(f"expected '{word}' at offset {self._offset()}")

    def skip_newlines(self) -> None:
        tokens, count, i = self.tokens, self.count, self.i
        while i < count and tokens[i].kind == "newline":
            i += 1
        self.i = i

    def skip_unexpected(self) -> None:
        token = self.tokens[self.i]
        self.errors.append(f"unexpected '{token.raw}' at offset {token.start}")
        self.i += 1

    def _offset(self) -> int:
        token = self.peek()
        return token.start if token else (self.tokens[-1].end if self.tokens else 0)

    @staticmethod
    def _is_terminator(token: Token | None, terminators: frozenset[str]) -> bool:
        """Whether ``token`` (the current one) ends a list that ``terminators`` end."""
        if token is None:
            return True
        if token.kind == "op":
            return token.text in terminators or token.text in _ENDS_EVERY_LIST
        return token.kind == "word" and token.text in terminators and token.raw == token.text

    # -- grammar ------------------------------------------------------------------------------

    def parse_list(self, terminators: frozenset[str]) -> None:
        """Read and-or lists until a terminator (a keyword like ``fi`` or an operator like
        ``)``) or the end; the terminator itself is left for the caller."""
        while True:
            self.skip_newlines()
            token = self.peek()
            if self._is_terminator(token, terminators):
                return
            if token.kind == "word" and token.text in _RESERVED and not token.quoted:
                self.skip_unexpected()
                continue
            before = self.i
            tails = self.parse_and_or()
            if self.i == before:
                self.skip_unexpected()
                continue
            connector = self._connector()
            for draft in tails:
                draft.connector = draft.connector or connector
                draft.background = draft.background or connector == "&"

    def _connector(self) -> str | None:
        token = self.peek()
        if token is None:
            return None
        if token.kind == "op" and token.text in (";", "&"):
            self.i += 1
            return token.text
        if token.kind == "newline":
            self.i += 1
            return ";"
        return None

    def parse_and_or(self) -> list[_Draft]:
        tails = self.parse_pipeline()
        while self.at_op(("&&", "||")):
            operator = self.tokens[self.i].text
            self.i += 1
            for draft in tails:
                draft.connector = draft.connector or operator
            self.skip_newlines()
            if self._is_terminator(self.peek(), _NO_TERMINATORS):
                self.errors.append(f"nothing after '{operator}' at offset {self._offset()}")
                return []
            tails = self.parse_pipeline()
        return tails

    def parse_pipeline(self) -> list[_Draft]:
        """Return the drafts that take the connector following the pipeline: each simple
        member, and the last command inside each compound member."""
        negated = self.at_keyword("!")
        if negated:
            self.i += 1
        members: list[tuple[_Draft, bool]] = []
        while True:
            tail, simple = self.parse_command()
            if tail is not None:
                members.append((tail, simple))
            if not self.at_op(("|", "|&")):
                break
            self.i += 1
            self.skip_newlines()
        if len(members) == 1 and not negated:  # the commonest pipeline: nothing to set, as a
            return [members[0][0]]  # simple command's new draft already says first of one
        for position, (draft, simple) in enumerate(members):
            if simple:
                draft.pipe_position = position
                draft.pipeline_length = len(members)
                draft.negated = negated
        return [draft for draft, _ in members]

    def parse_command(self) -> tuple[_Draft | None, bool]:
        """Read one command; return it and True, or for a compound command the last command
        inside it and False."""
        token = self.peek()
        if token is None:
            return None, True
        if token.kind == "op" and token.text == "(":
            return self._compound(self._subshell), False
        if token.kind == "word" and token.text in _COMPOUNDS and not token.quoted:
            return self._compound(getattr(self, _COMPOUNDS[token.text])), False
        return self._simple(token.start), True

    def _compound(self, read) -> _Draft | None:
        if self.nesting >= MAX_NESTING:
            self.errors.append(f"compound commands nested too deeply at offset {self._offset()}")
            self.i += 1  # read on as if the opening token were not there
            return None
        first = len(self.drafts)
        self.nesting += 1
        read()
        self.nesting -= 1
        self._group_redirects(self.drafts[first:])
        return self.drafts[-1] if len(self.drafts) > first else None

    def _group_redirects(self, inside: list[_Draft]) -> None:
        """Redirections after a compound command apply to every command in it: each of them
        carries them (``{ echo 'install: --no-document'; } >> /usr/local/etc/gemrc``)."""
        while (token := self.peek()) is not None and token.kind == "redir":
            self.i += 1
            redirect = self._redirect(token)
            for draft in inside:
                draft.redirects.append(redirect)

    def _subshell(self) -> None:
        self.i += 1
        saved = (self.depth, self.in_subshell)
        self.depth, self.in_subshell = self.depth + 1, True
        self.parse_list(frozenset({")"}))
        self.depth, self.in_subshell = saved
        if self.at_op((")",)):
            self.i += 1
        else:
            self.errors.append(f"missing ')' at offset {self._offset()}")

    def _brace_group(self) -> None:
        self.i += 1
        self.parse_list(frozenset({"}"}))
        self.expect_keyword("}")

    def _if(self) -> None:
        self.i += 1
        self.parse_list(frozenset({"then"}))
        self.expect_keyword("then")
        self.parse_list(frozenset({"elif", "else", "fi"}))
        while self.at_keyword("elif"):
            self.i += 1
            self.parse_list(frozenset({"then"}))
            self.expect_keyword("then")
            self.parse_list(frozenset({"elif", "else", "fi"}))
        if self.at_keyword("else"):
            self.i += 1
            self.parse_list(frozenset({"fi"}))
        self.expect_keyword("fi")

    def _for(self) -> None:
        self.i += 1
        if self.peek() is not None and self.peek().kind == "word":
            self.i += 1  # the loop variable, or the ((...)) of an arithmetic for
        self.skip_newlines()
        if self.at_keyword("in"):
            self.i += 1
            while self.peek() is not None and self.peek().kind == "word":
                self.i += 1
        self._connector()
        self.skip_newlines()
        self._loop_body()

    def _while(self) -> None:
        self.i += 1
        self.parse_list(frozenset({"do"}))
        self._loop_body()

    def _loop_body(self) -> None:
        self.expect_keyword("do")
        self.parse_list(frozenset({"done"}))
        self.expect_keyword("done")

    def _case(self) -> None:
        self.i += 1
        if self.peek() is not None and self.peek().kind == "word":
            self.i += 1
        self.skip_newlines()
        self.expect_keyword("in")
        while True:
            self.skip_newlines()
            if self.peek() is None or self.at_keyword("esac"):
                break
            self._case_pattern()
            self.parse_list(frozenset({"esac"}))
            if self.at_op(_CASE_END):
                self.i += 1
        self.expect_keyword("esac")

    def _case_pattern(self) -> None:
        if self.at_op(("(",)):
            self.i += 1
        while self.peek() is not None and (self.peek().kind == "word" or self.at_op(("|",))):
            self.i += 1
        if self.at_op((")",)):
            self.i += 1
        else:
            self.errors.append(f"expected ')' after a case pattern at offset {self._offset()}")

    def _function(self) -> None:
        self.i += 1
        if self.peek() is not None and self.peek().kind == "word":
            self.i += 1
        if self.at_op(("(",)) and self._next_is(")"):
            self.i += 2
        self._function_body()

    def _function_body(self) -> None:
        self.skip_newlines()
        if self.parse_command()[0] is None:
            self.errors.append(f"missing function body at offset {self._offset()}")

    def _next_is(self, op: str) -> bool:
        token = self.peek(1)
        return token is not None and token.kind == "op" and token.text == op

    def _simple(self, start: int) -> _Draft | None:
        """Read a simple command starting at offset ``start`` (the current token's)."""
        draft = _Draft(start, self.depth, self.in_subshell)
        tokens, count, argv = self.tokens, self.count, draft.argv
        while self.i < count:
            token = tokens[self.i]
            kind = token.kind
            if kind == "word":
                self.i += 1
                word = _word(token)
                if argv:  # an argument: only the first word is special
                    argv.append(word)
                elif ASSIGNMENT.match(token.raw):
                    draft.assignments.append(word)
                elif not self._command_word(draft, token, word):
                    return None
            elif kind == "redir":
                self.i += 1
                draft.redirects.append(self._redirect(token))
            else:
                break
        if not (argv or draft.assignments or draft.redirects):
            return None
        draft.end = tokens[self.i - 1].end
        self.drafts.append(draft)
        return draft

    def _command_word(self, draft: _Draft, token: Token, word: Word) -> bool:
        """Take the command's first word; False when it names a function being defined."""
        draft.argv.append(word)
        if token.text == "[[" and not token.quoted:
            self._test_expression(draft)
        elif not draft.assignments and self.at_op(("(",)) and self._next_is(")"):
            self.i += 2  # name() body: a definition, not a command
            self._function_body()
            return False
        return True

    def _test_expression(self, draft: _Draft) -> None:
        """Inside ``[[ ]]``, ``&&``, ``<`` and friends are operands of the test."""
        while (token := self.peek()) is not None and token.kind != "newline":
            self.i += 1
            draft.argv.append(Word(token.raw if token.kind != "word" else token.text,
                                   token.raw, token.start, token.end))
            if token.kind == "word" and token.text == "]]":
                return
        self.errors.append("missing ']]'")

    def _redirect(self, token: Token) -> Redirect:
        target = self.peek()
        if target is not None and target.kind == "word":
            self.i += 1
            return Redirect(token.text, _word(target), token.fd, token.body)
        self.errors.append(f"missing target of '{token.raw}' at offset {token.start}")
        return Redirect(token.text, Word("", "", token.end, token.end), token.fd, token.body)

