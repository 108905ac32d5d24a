"""What our parser keeps beyond BuildKit's: positions, comments, directives, recovery."""

from __future__ import annotations

from twelvecheck.parse.dockerfile import parse


def test_flag_and_argument_positions_across_continuations():
    text = "FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/apk \\\n    apk add curl\n"
    run = parse(text).instructions[1]
    mount = run.flag("mount")
    assert mount.value == "type=cache,target=/var/cache/apk"
    assert (mount.span.line, mount.span.column) == (2, 5)
    offset = run.text.index("curl")
    assert run.text_map.position(offset) == (3, 13)


def test_flags_after_a_unicode_blank_and_quoted_flags():
    # BuildKit splits the keyword off at ASCII blanks only, then skips any blank before flags
    text = 'FROM alpine\nRUN \u2003--mount=type=cache,target=/x echo\nCOPY --chown="a b" --chmod=7\\55 --x=\u00e9 s d\n'
    run, copy = parse(text).instructions[1:]
    assert run.flag("mount").value == "type=cache,target=/x"
    assert run.args == ("echo",)
    assert [(f.name, f.value) for f in copy.flags] == [("chown", "a b"), ("chmod", "755"), ("x", "\u00c3\u00a9")]
    assert copy.args == ("s", "d")


def test_blank_and_comment_lines_inside_a_continuation():
    text = "FROM debian:12\nRUN apt-get update && \\\n\n# a comment\n    apt-get install -y \\\n    git\n"
    result = parse(text)
    run = result.instructions[1]
    assert run.args == ("apt-get update &&     apt-get install -y     git",)
    assert (run.span.line, run.span.end_line) == (2, 6)
    assert [c.text for c in result.comments] == ["a comment"]
    assert result.empty_continuations


def test_heredocs_with_quoted_and_chomped_delimiters():
    text = "FROM alpine\nRUN <<-'EOT' sh\n\techo $HOME\n\tEOT\nCOPY <<A <<B /dst/\na\nA\nb\nB\n"
    run, copy = parse(text).instructions[1:]
    (heredoc,) = run.heredocs
    assert (heredoc.name, heredoc.expand, heredoc.chomp) == ("EOT", False, True)
    assert heredoc.content == "echo $HOME\n"
    assert heredoc.position(heredoc.body.index("echo")) == (3, 2)
    assert [h.name for h in copy.heredocs] == ["A", "B"]
    assert copy.span.end_line == 9


def test_directives_and_escape():
    result = parse("# syntax=docker/dockerfile:1\n# escape=`\nFROM windows\nRUN dir `\n  C:\\\n")
    assert [d.name for d in result.directives] == ["syntax", "escape"]
    assert result.escape == "`"
    assert result.instructions[1].args == ("dir   C:\\",)


def test_a_bad_instruction_is_an_error_and_the_rest_is_still_parsed():
    result = parse("FROM alpine\nENV ONLYKEY\nFROBNICATE x\nRUN echo ok\n")
    assert [e.span.line for e in result.errors] == [2, 3]
    assert "ENV must have two arguments" in result.errors[0].message
    assert "unknown instruction: FROBNICATE" in result.errors[1].message
    assert [i.keyword for i in result.instructions] == ["FROM", "FROBNICATE", "RUN"]


def test_unterminated_heredoc_and_empty_file():
    assert "unterminated heredoc" in parse("FROM a\nRUN <<EOF\necho\n").errors[0].message
    assert parse("").errors[0].message == "file with no instructions"


def test_stages_onbuild_and_global_args():
    result = parse("ARG V=1\nFROM --platform=$BUILDPLATFORM golang:$V AS Build\nONBUILD RUN echo hi\nFROM scratch\n")
    build, final = result.stages
    assert (build.name, build.written_name, build.platform) == ("build", "Build", "$BUILDPLATFORM")
    assert build.instructions[0].onbuild.keyword == "RUN"
    assert final.base == "scratch"
    assert [a.args for a in result.global_args] == [("V=1",)]
