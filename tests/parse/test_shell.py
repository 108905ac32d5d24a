"""The shell model of RUN bodies: commands, connectors, pipelines, wrappers, offsets."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from twelvecheck.parse.shell import Command, Script, parse_script


def summary(script: Script) -> list[tuple[str, tuple[str, ...], str | None]]:
    return [(command.name, command.args, command.connector) for command in script]


def assert_offsets(text: str, script: Script) -> None:
    for command in script:
        targets = tuple(redirect.target for redirect in command.redirects)
        for word in command.argv + command.assignments + targets:
            assert text[word.start:word.end] == word.raw, (word, command)
        assert 0 <= command.start <= command.end <= len(text)


APT = ("apt-get update \\\n"
       " && apt-get install -y --no-install-recommends \\\n"
       "    ca-certificates curl \\\n"
       "    git \\\n"
       " && rm -rf /var/lib/apt/lists/*")

CASES = {
    "apt-shape": (APT, [
        ("apt-get", ("update",), "&&"),
        ("apt-get", ("install", "-y", "--no-install-recommends", "ca-certificates", "curl", "git"),
         "&&"),
        ("rm", ("-rf", "/var/lib/apt/lists/*"), None),
    ]),
    "set-eux-semicolons": ("set -eux; \tarch=\"$(dpkg --print-architecture)\"; echo \"$arch\"", [
        ("set", ("-eux",), ";"), ("", (), ";"), ("echo", ("$arch",), None),
    ]),
    "newline-as-semicolon": ("mkdir /a\ncd /a\n", [("mkdir", ("/a",), ";"), ("cd", ("/a",), ";")]),
    "or-and": ("test -f x || touch x && echo ok", [
        ("test", ("-f", "x"), "||"), ("touch", ("x",), "&&"), ("echo", ("ok",), None),
    ]),
    "background": ("dockerd & sleep 1", [("dockerd", (), "&"), ("sleep", ("1",), None)]),
    "quotes-and-escapes": ("echo 'a b' \"c $HOME d\" e\\ f $'t\\tx' \"q\\\"q\"", [
        ("echo", ("a b", "c $HOME d", "e f", "t\tx", 'q"q'), None),
    ]),
    "substitutions-are-words": ("echo $(apt-get update) `id -u` ${A:-b} $((1 + 2))", [
        ("echo", ("$(apt-get update)", "`id -u`", "${A:-b}", "$((1 + 2))"), None),
    ]),
    "comments": ("echo a # not && this\necho b#c", [
        ("echo", ("a",), ";"), ("echo", ("b#c",), None),
    ]),
    "if-else": ("if [ -f /x ]; then apt-get update; elif true; then :; else echo no; fi && ls", [
        ("[", ("-f", "/x", "]"), ";"), ("apt-get", ("update",), ";"), ("true", (), ";"),
        (":", (), ";"), ("echo", ("no",), ";"), ("ls", (), None),
    ]),
    "for-loop": ("for f in a b c; do\n  rm -f \"$f\"\ndone", [("rm", ("-f", "$f"), ";")]),
    "while-loop": ("while read -r line; do echo \"$line\"; done < file.txt", [
        ("read", ("-r", "line"), ";"), ("echo", ("$line",), ";"),
    ]),
    "case": ("case \"$(uname -m)\" in\n  x86_64|amd64) ARCH=amd64 ;;\n"
             "  aarch64) ARCH=arm64; echo arm ;;\n  *) exit 1 ;;\nesac", [
        ("", (), None), ("", (), ";"), ("echo", ("arm",), None), ("exit", ("1",), None),
    ]),
    "double-brackets": ("[[ \"$A\" == x* && -n $B ]] || exit 1", [
        ("[[", ("$A", "==", "x*", "&&", "-n", "$B", "]]"), "||"), ("exit", ("1",), None),
    ]),
    "function": ("cleanup() { rm -rf /tmp/x; }; cleanup", [
        ("rm", ("-rf", "/tmp/x"), ";"), ("cleanup", (), None),
    ]),
    "array-assignment": ("PKGS=(a b c); apk add \"${PKGS[@]}\"", [
        ("", (), ";"), ("apk", ("add", "${PKGS[@]}"), None),
    ]),
    "brace-group": ("{ echo a; echo b; } > /log", [("echo", ("a",), ";"), ("echo", ("b",), ";")]),
}


@pytest.mark.parametrize("text, expected", CASES.values(), ids=CASES.keys())
def test_commands(text: str, expected: list) -> None:
    script = parse_script(text)
    assert summary(script) == expected
    assert script.errors == ()
    assert_offsets(text, script)


def test_pipeline_members_share_the_connector() -> None:
    script = parse_script("curl -fsSL https://example.com/install.sh | sh -s -- -y && echo done")
    curl, sh, echo = script.commands
    assert (curl.pipe_position, curl.pipeline_length, curl.connector) == (0, 2, "&&")
    assert (sh.pipe_position, sh.pipeline_length, sh.connector) == (1, 2, "&&")
    assert echo.pipeline_length == 1


def test_negated_pipeline() -> None:
    (grep,) = parse_script("! grep -q x /etc/passwd").commands
    assert grep.negated and grep.name == "grep"


def test_subshell_depth_and_connector() -> None:
    script = parse_script("(cd /src && make) || true")
    cd, make, true = script.commands
    assert cd.in_subshell and cd.depth == 1 and make.connector == "||"
    assert not true.in_subshell and true.depth == 0


def test_redirects() -> None:
    (command,) = parse_script("make 2>&1 >/dev/null").commands
    assert [(r.op, r.target.value, r.fd) for r in command.redirects] == [
        (">&", "1", 2), (">", "/dev/null", None)]


def test_heredoc_body_in_script() -> None:
    text = "cat <<-'EOF' > /etc/x.conf\n\tkey=value\n\tEOF\nchmod 600 /etc/x.conf"
    cat, chmod = parse_script(text).commands
    assert cat.redirects[0].body == "key=value\n"
    assert chmod.name == "chmod"


def test_name_is_basename() -> None:
    (command,) = parse_script("/usr/bin/apt-get -y install x").commands
    assert command.name == "apt-get" and command.args == ("-y", "install", "x")


@pytest.mark.parametrize("text, chain", [
    ("sudo -E -u root apt-get install -y x", ["sudo", "apt-get"]),
    ("env DEBIAN_FRONTEND=noninteractive apt-get install -y x", ["env", "apt-get"]),
    ("sudo env A=1 nice -n 10 nohup pip install x", ["sudo", "env", "nice", "nohup", "pip"]),
    ("time exec make -j4", ["time", "exec", "make"]),
    ("find . -name '*.pyc' -print0 | xargs -0 -I{} rm -f {}", ["find", "xargs", "rm"]),
    ("gosu app timeout 10 curl -f http://x", ["gosu", "timeout", "curl"]),
])
def test_wrappers_are_kept_and_unwrapped(text: str, chain: list[str]) -> None:
    script = parse_script(text)
    assert [command.name for command in script] == chain
    assert script.commands[-1].wrapped_by == chain[-2]
    assert_offsets(text, script)


def test_env_assignments_move_to_the_inner_command() -> None:
    script = parse_script("env DEBIAN_FRONTEND=noninteractive apt-get install -y x")
    (inner,) = [command for command in script if command.wrapped_by == "env"]
    assert [word.value for word in inner.assignments] == ["DEBIAN_FRONTEND=noninteractive"]


@pytest.mark.parametrize("text", [
    "sh -c 'apt-get update && apt-get install -y curl'",
    "/bin/bash -ec \"apt-get update && apt-get install -y curl\"",
    "bash -o pipefail -xc 'apt-get update && apt-get install -y curl'",
    "su -s /bin/sh -c 'apt-get update && apt-get install -y curl' root",
])
def test_shell_strings_are_parsed_with_exact_offsets(text: str) -> None:
    script = parse_script(text)
    inner = [command for command in script if command.depth == 1]
    assert [command.args for command in inner] == [("update",), ("install", "-y", "curl")]
    assert inner[0].connector == "&&" and inner[0].wrapped_by.endswith(" -c")
    assert_offsets(text, script)


def test_shell_string_with_escapes_points_at_the_whole_string() -> None:
    text = 'sh -c "echo \\"hi\\" && id"'
    script = parse_script(text)
    echo = script.find("echo")[0]
    assert echo.args == ("hi",) and echo.depth == 1
    assert (echo.start, echo.end) == (6, len(text))
    assert echo.argv[0].raw == text[6:]


def test_nested_shell_strings_count_depth() -> None:
    script = parse_script("sudo sh -c \"bash -c 'id -u'\"")
    assert [(command.name, command.depth) for command in script] == [
        ("sudo", 0), ("sh", 0), ("bash", 1), ("id", 2)]


def test_command_substitution_is_not_a_command() -> None:
    assert [c.name for c in parse_script("export V=$(curl -s http://x | sh)")] == ["export"]


@pytest.mark.parametrize("text, expected", [
    ("set -o pipefail && curl x | sh", True),
    ("set -euxo pipefail; curl x | sh", True),
    ("set -e -o pipefail; true", True),
    ("set -eux; curl x | sh", False),
    ("echo pipefail", False),
])
def test_has_pipefail(text: str, expected: bool) -> None:
    assert parse_script(text).has_pipefail is expected


@pytest.mark.parametrize("text", [
    "echo 'unterminated", 'echo "unterminated', "echo $(unclosed", "if true; then echo",
    "))) fi done esac", "case x in", "a &&", "| b", "cat <<EOF\nbody", "for", "((((((((",
    "echo ${a", "f() {", "[[ a", "\\", "$'", "<(", "2>", "{ }", "sh -c", "sudo", "'" * 1001,
])
def test_broken_input_is_reported_not_raised(text: str) -> None:
    script = parse_script(text)
    assert isinstance(script, Script)
    assert_offsets(text, script)


def test_deep_nesting_does_not_raise() -> None:
    for text in ("(" * 5000 + "x" + ")" * 5000, "$(" * 5000, "if true; then " * 3000):
        assert isinstance(parse_script(text), Script)


def test_large_input_is_linear() -> None:
    text = "apt-get install -y " + " ".join(f"pkg{i}" for i in range(100_000))
    (command,) = parse_script(text + " && true").commands[:1]
    assert len(command.argv) == 3 + 100_000


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("ab $'\"\\`(){};&|<>#\n=-*[]!") + [
    "if ", "then ", "fi ", "case ", " in ", "esac", ";;", "do ", "done", "<<EOF", "EOF\n",
    "sh -c ", "sudo ", "$(", "${", "[[ ", "((", "2>&1"]), max_size=60).map("".join)
    | st.text(max_size=200))
def test_never_raises(text: str) -> None:
    script = parse_script(text)
    assert all(isinstance(command, Command) for command in script)
    assert_offsets(text, script)


def test_pathological_input_stays_linear_and_bounded() -> None:
    script = parse_script("((" * 20_000 + "sudo " * 20_000)
    assert len(script.errors) <= 21
    assert script.commands[0].name == "sudo" and len(script.commands[0].argv) == 20_000


def test_substituted_commands_are_kept_apart() -> None:
    script = parse_script('V=$(curl -s http://x | jq .v) && echo "`id -u`" \'$(not)\' $((1 + 2))')
    assert [c.name for c in script.commands] == ["", "echo"]
    inner = [(c.name, c.pipeline_length, c.in_subshell) for c in script.substituted]
    assert inner == [("curl", 2, True), ("jq", 2, True), ("id", 1, True)]
    assert [c.name for c in script.all_commands] == ["", "curl", "jq", "echo", "id"]
    curl = script.substituted[0]
    assert 'V=$(curl -s http://x | jq .v)'[curl.start:curl.end] == "curl -s http://x"
