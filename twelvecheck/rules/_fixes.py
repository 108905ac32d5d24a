"""Building fixes: edits at the positions the parsers give, shared by every rule that repairs
itself (an option after a command word, a word replaced, a step appended to a RUN, a line
before an instruction, a keyword or argument rewritten).

Every helper returns None when the text is not where the model says it is (a word rebuilt from
a variable, a command taken out of a string the shell model unquoted differently): a rule then
offers no fix rather than a wrong one. ``make_fix`` turns a missing edit into a missing fix.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from twelvecheck.findings import Edit, Fix
from twelvecheck.parse.model import Instruction, Span

if TYPE_CHECKING:  # compose rules use this module too: they need not load the shell model
    from twelvecheck.parse.shell import Command, Word
    from twelvecheck.rules.run_scripts import RunScript


def make_fix(description: str, *edits: Edit | None, safe: bool = True) -> Fix | None:
    """A fix of these edits, or None when one of them could not be built."""
    if not edits or any(edit is None for edit in edits):
        return None
    return Fix(description, tuple(edits), safe)


# --- shell words inside RUN ------------------------------------------------------------------

def exact(run: RunScript, word: Word) -> bool:
    """The word is written in the script exactly where its offsets say."""
    return 0 <= word.start <= word.end <= len(run.text) and run.text[word.start:word.end] == word.raw


def point(position: tuple[int, int]) -> Span:
    line, column = position
    return Span(line, column, line, column)


def after(run: RunScript, word: Word) -> Span:
    """Just after the word's last character, on its own physical line."""
    line, column = run.position(word.end - 1)
    return point((line, column + 1))


def word_span(run: RunScript, word: Word) -> Span:
    return run.span(word.start, word.end)


def insert_option(run: RunScript, command: Command, option: str, after_words: frozenset[str] | None = None) -> Edit | None:
    """`` option`` after the command's name, or after its first word in ``after_words`` (the
    subcommand: ``apt-get install -y``)."""
    anchor = command.argv[0] if command.argv else None
    if after_words is not None:
        anchor = next((w for w in command.argv[1:] if w.value in after_words), None)
    if anchor is None or not exact(run, anchor):
        return None
    return Edit(after(run, anchor), f" {option}")


def option_fix(run: RunScript, command: Command, option: str, after_words: frozenset[str] | None = None,
               safe: bool = True) -> Fix | None:
    """The fix adding ``option`` to the command (see ``insert_option``)."""
    return make_fix(f"add {option}", insert_option(run, command, option, after_words), safe=safe)


def replace_word(run: RunScript, word: Word, text: str) -> Edit | None:
    return Edit(word_span(run, word), text) if exact(run, word) else None


def replace_in_word(run: RunScript, word: Word, old: str, new: str) -> Edit | None:
    """Replace the first ``old`` (any case) inside the word's written text (``http://``)."""
    import re

    return replace_pattern_in_word(run, word, re.escape(old), new)


def replace_pattern_in_word(run: RunScript, word: Word, pattern: str, new: str) -> Edit | None:
    """Replace the first match of ``pattern`` (a regex, any case) inside the word's text."""
    import re

    match = re.search(pattern, word.raw, re.IGNORECASE) if exact(run, word) else None
    if match is None or match.start() == match.end():
        return None
    return Edit(run.span(word.start + match.start(), word.start + match.end()), new)


def append_step(run: RunScript, step: str) -> Edit | None:
    """``step`` run last in this script: `` && step`` after the RUN's command line, or a last
    line of a heredoc script. None when the script's end is not a plain command end (a comment,
    a background ``&``, a dangling operator)."""
    if not run.commands:
        return None
    if run.heredoc is not None:
        return Edit(point((run.heredoc.span.end_line, 1)), f"{step}\n")
    text = run.text
    last_end = max(command.end for command in run.commands)
    tail = text[last_end:]
    if "#" in tail or "\\" in tail:
        return None
    stripped = text.rstrip()
    if not stripped:
        return None
    if stripped.endswith(";") and not stripped.endswith(";;"):
        joint = f" {step}"
    elif stripped.endswith(("&", "|", "(", "{", "!")):
        return None
    else:
        joint = f" && {step}"
    line, column = run.position(len(stripped) - 1)
    return Edit(point((line, column + 1)), joint)


# --- instructions --------------------------------------------------------------------------

def keyword_span(instruction: Instruction) -> Span:
    span = instruction.span
    return Span(span.line, span.column, span.line, span.column + len(instruction.written_keyword))


def text_span(instruction: Instruction, start: int, end: int) -> Span:
    """Offsets into ``instruction.text`` (the arguments) as a source span."""
    if end <= start:
        return point(instruction.text_map.position(start))
    return instruction.text_map.span(start, end)


def arguments_span(instruction: Instruction) -> Span | None:
    """The arguments when they sit on the instruction's first line (no continuation)."""
    segments = instruction.text_map.segments
    if len(segments) != 1 or not instruction.text:
        return None
    return instruction.text_map.span(0, len(instruction.text))


def line_before(instruction: Instruction, line: str) -> Edit:
    """A new line above the instruction, indented as it is."""
    span = instruction.span
    return Edit(point((span.line, 1)), " " * (span.column - 1) + line + "\n")


def drop_flag(instruction: Instruction, name: str, source: str, escape: str = "\\") -> Edit | None:
    """Delete ``--name=…`` and the blanks after it, when more follows on its line (``source``:
    the Dockerfile's text)."""
    flag = instruction.flag(name)
    if flag is None or flag.span.line != flag.span.end_line:
        return None
    line = source.lstrip("\ufeff").split("\n")[flag.span.line - 1]
    end = flag.span.end_column - 1
    rest = line[end:]
    gap = len(rest) - len(rest.lstrip(" \t"))
    if gap == 0 or not rest.strip() or rest.strip().startswith(escape):
        return None
    return Edit(Span(flag.span.line, flag.span.column, flag.span.line, end + gap + 1), "")


def written_words(instruction: Instruction) -> list[tuple[int, int, str]]:
    """The whitespace-separated words of the arguments with their offsets into ``text``."""
    import re

    return [(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+", instruction.text)]


# --- compose files (edited as text at the parser's positions: no YAML round trip) ----------

def source_lines(path: str) -> list[str]:
    """The file's lines without their ends ('' lines when it cannot be read)."""
    from twelvecheck.files import read_text

    text = read_text(str(path))
    return text.lstrip("\ufeff").split("\n") if isinstance(text, str) else []


def delete_lines(first: int, last: int) -> Edit:
    """Delete whole lines ``first`` to ``last`` (1-based, inclusive), their ends included."""
    return Edit(Span(first, 1, last + 1, 1), "")


def remove_right_after(ctx, run: RunScript, command: Command, word: Word) -> Edit | None:
    """`` && rm -f WORD`` right after ``command`` (same directory, same variables), when
    nothing later in the RUN or in a later instruction of the stage (or of stages built FROM
    it) names the file, and the command ends a plain step of the top-level list."""
    import posixpath

    if command.depth or command.wrapped_by or command.pipeline_length != 1 or command.redirects \
            or command.connector not in ("&&", ";", None) or command.background or not exact(run, word):
        return None
    name = posixpath.basename(word.value.rstrip("/"))
    if not name or any(c in word.raw for c in "*?[`") or name in run.text[command.end:]:
        return None
    stage = ctx.stage_of(run.instruction)
    if stage is None:
        return None
    for other in ctx.dockerfile.stages:
        if stage not in ctx.stage_chain(other):
            continue
        for instruction in other.instructions:
            later = other is not stage or instruction.span.line > run.instruction.span.line
            if later and name in instruction.original:
                return None
    end = command.argv[-1] if command.argv else None
    if end is None or not exact(run, end) or end.end != command.end:
        return None
    return Edit(after(run, end), f" && rm -f {word.raw}")


def removal_fix(ctx, run: RunScript, command: Command, path: str, after_what: str) -> Fix | None:
    """The unsafe fix removing ``path`` (an operand of ``command``) right after the command."""
    word = next((w for w in command.argv[1:] if w.value == path), None)
    edit = remove_right_after(ctx, run, command, word) if word is not None else None
    return make_fix(f"remove {path} after {after_what}", edit, safe=False)
