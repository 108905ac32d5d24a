"""Time the shell reader (``parse_script``) and prove a change leaves its output identical.

    python bench/shell_reader.py                  # time this tree
    python bench/shell_reader.py --compare REV    # also time REV, and check identical Scripts

Inputs: a 100k-line ``&& echo`` chain (the shape of a huge RUN), every RUN body of the
Dockerfiles under /work/shared/corpus (the same text ``scripts_of`` hands to ``parse_script``)
and a set of tricky inputs, written out and generated, that exercise every corner of the lexer
and grammar. ``--compare`` exports REV's ``twelvecheck/`` with ``git archive``, reads every input
with it in a subprocess and compares the ``repr`` of each ``Script`` (a repr shows every field:
commands, words with raw/value/start/end, redirects with bodies, errors, substituted commands).
Times are best of 3 with ``time.perf_counter``; the cache of ``parse_script`` is bypassed.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import pickle
import random
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path("/work/shared/corpus")
BIG_LINES = 100_000
REPEATS = 3


def big_script(lines: int = BIG_LINES) -> str:
    return "true \\\n" + "".join(f"  && echo {i} \\\n" for i in range(lines)) + "  && true\n"


def corpus_run_bodies() -> list[str]:
    """The text of every script ``scripts_of`` finds in the corpus's RUN instructions."""
    from twelvecheck.parse.dockerfile import parse
    from twelvecheck.rules.run_scripts import scripts_of

    bodies = []
    for path in sorted(CORPUS.rglob("*Dockerfile*")):
        if not path.is_file():
            continue
        try:
            dockerfile = parse(path.read_text(encoding="utf-8", errors="replace"), str(path))
        except Exception:  # a file the Dockerfile reader rejects has no RUN to read
            continue
        for instruction in dockerfile.instructions:
            bodies.extend(script.text for script in scripts_of(instruction))
    return bodies


# Hand-written corners: quotes, escapes, heredocs, arithmetic, fd redirects, arrays, extglobs,
# process substitution, backticks, [[ ]], case, functions, unclosed constructs, CRLF, tabs,
# unicode, very long words.
TRICKY = [
    "", " ", "\n", "\\", "\\\n", "#", "# only a comment\n", "a", "a b c", "a\tb\r\nc\r\n",
    "echo 'single' \"double $x\" $'ansi\\n\\t\\x' $\"locale\"",
    "echo 'unclosed", 'echo "unclosed', "echo $'unclosed", "echo $(unclosed", "echo ${unclosed",
    "echo `unclosed", "(echo unclosed", "{ echo unclosed", "if true; then echo", "case x in",
    "echo a\\ b c\\\\d e\\", "echo a\\\nb", "a=1 b=2 cmd", "a[1]=x b+=y cmd", "arr=(x y 'z w')",
    "declare -a a=(1 2) && echo ${a[@]}", "ls !(x) @(a|b) *(c) ?(d) +(e)", "ls x!(y)",
    "diff <(cmd one) >(cmd two)", "cat <(echo $(date))", "echo `date` `echo \\`x\\``",
    "echo $(( 1 + 2 )) $((x*(y+1)))", "(( i++ ))", "((", "((((((((((", "(( a ) )", "((a) || (b))",
    "cmd 2>&1 >/dev/null 3<in 4<>rw 5>>app 10>x 99999999999999999999>y", "cmd &>log &>>log2",
    "cmd >|f <&0 >&- <<<here", "cmd 2> f", "cmd 2 > f", "x2>f", "2>f cmd", "cmd>f<g",
    "cat <<EOF\nbody $x\nEOF\necho after", "cat <<-EOF\n\tindented\n\tEOF\n", "cat <<'EOF'\nraw\nEOF",
    "cat <<EOF <<EOT\none\nEOF\ntwo\nEOT\n", "cat <<EOF\nnever closed", "cat << \"E F\"\nx\nE F\n",
    "cat <<EOF | grep x\nbody\nEOF\n", "cat <<", "cmd <", "cmd >",
    "[[ -f x && $y < 3 || ! -d z ]] && echo ok", "[[ unclosed", "[[ a\n]]", "x [[ a ]]",
    "case $x in a|b) echo ab;; (c) echo c;& *) echo d;;& esac", "case x in a) echo; esac",
    "f() { echo f; }; f", "function g { echo g; }", "function h() ( echo h )", "f ( ) x",
    "if a; then b; elif c; then d; else e; fi", "while read l; do echo $l; done < f",
    "until false; do :; done", "for i in 1 2 3; do echo $i; done", "for ((i=0;i<3;i++)); do x; done",
    "select x in a b; do break; done", "for x\ndo echo; done", "! cmd | cmd2 |& cmd3",
    "a && b || c; d & e", "a &&", "a ||\n b", "a |\n b", "; ;; ;& ;;& & && | || ( )", ")", "fi",
    "then", "done", "esac", "}", "in", "a ) b", "{ a; } > out 2>&1", "( a; b ) | c",
    "sudo -u root env A=1 nice -n 5 timeout 10 apt-get install -y x",
    "sh -c 'apt-get update && apt-get install -y x'", "bash -euxo pipefail -c \"echo \\\"x\\\"\"",
    "su -c 'echo hi' user", "su --command='echo x'", "xargs -I{} sh -c 'echo {}'",
    "sh -c \"$(curl -fsSL https://x)\"", "v=$(curl -s u | jq .x) && echo $v",
    "echo $(echo $(echo `echo deep`))", "echo '$(not)' \"$(yes)\" \\$(no) `a` '`b`'",
    "echo ${x:-$(default)} ${y#*/} ${#z} ${a[$(i)]}", "echo $", "echo $ x", "echo x$",
    "echo héllo wörld ✓ 日本語 \u00a0nbsp", "echo é\\é 'é' \"é\"", "ech\u0301o", "\ttab\tsep\t",
    "a\r\nb\r\n", "echo x\\\r\ny", "echo a#b #c", "echo #x\necho y", "x=#y",
    "a=(\n 1\n 2\n)", "a=(unclosed", "x=( )", "!(x)", "@(x)", "e=!(x)", "y=a(b)",
    "echo " + "x" * 20000, "echo '" + "y" * 20000 + "'", "echo \"" + "z\\\"" * 5000 + "\"",
    "$(" * 200 + ")" * 200, "(" * 150 + ")" * 150, "{ " * 150 + "} " * 150, "if " * 120,
    "echo <(a) <(b)>(c)", "echo a<(b)", "echo <b", "echo >(x", "cmd <<<$(x) <<<'y'",
    "echo $((1+$(echo 2)))", "echo $(( $(x) ))", "echo $(case x in a) echo;; esac)",
    "echo \"a$(b \"c$(d)\")e\"", "echo `a $(b)`", "echo $(a `b`)", "echo \"`x`\"",
    "ls 'a'\"b\"c$'d'$\"e\"", "echo \\'x", "echo \"\\$x \\` \\\\ \\a\"", "echo $'\\q\\'\\\\'",
    "0<x 1>y 2>>z", "12345678901234567890123>x", "٣>x", "echo 1>", "echo 1>&", "1<<EOF\nx\nEOF",
    "cat <<EOF\n$(cmd)\nEOF", "a\\\n&&\\\nb", "a &\\\n& b", "echo a;b;c", "a;;b", "a&b",
    "time -p cmd", "nohup sh -c 'x' &", "exec gosu user cmd arg", "chroot --userspec=u / sh -c 'x'",
    "env -u X -- cmd", "sudo -- sh -c 'a; b'", "sudo", "env", "sh -c", "sh -o pipefail -c 'x'",
    "bash -c 'sh -c \"bash -c \\\"echo deep\\\"\"'", "sh -c 'echo $(inner)'",
]

# Fragments the generator strings together: every construct, and every way of cutting one off.
FRAGMENTS = [
    "a", "echo", "x1", "2", "10", "=", "a=", "a[0]=", "b+=", "$", "$x", "${y}", "${", "$(", "$((",
    "`", "'", '"', "$'", '$"', "\\", "\\\n", "\\\r\n", "(", ")", "((", "))", "{", "}", "[[", "]]",
    "<", ">", "<<", "<<-", "<<<", "<>", "<&", ">&", ">>", ">|", "&>", "&>>", "2>", "2>&1", "<(",
    ">(", "!", "!(", "@(", "*(", "?(", "+(", ";", ";;", ";&", ";;&", "&", "&&", "|", "||", "|&",
    " ", " ", " ", "\t", "\n", "\r\n", "#", "EOF", "\nEOF\n", "if", "then", "else", "elif", "fi",
    "for", "in", "do", "done", "while", "until", "case", "esac", "function", "select", "f()",
    "sudo", "sh -c", "bash -c", "env", "su -c", "é", "✓", "\u00a0", "word", "-o", "*", "?",
]


def generated_inputs(count: int, seed: int = 12) -> list[str]:
    """Random strings of fragments: many short scripts that hit unusual combinations."""
    rng = random.Random(seed)
    return ["".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(1, 30))) for _ in range(count)]


def read_all(texts: list[str]) -> list[str]:
    """The repr of the Script of each text, read without the cache."""
    from twelvecheck.parse.shell import parse_script

    return [repr(parse_script.__wrapped__(text)) for text in texts]


def best_of(function, *args, collecting: bool = True) -> float:
    """Best of ``REPEATS`` runs; ``collecting=False`` pauses the cyclic garbage collector, as
    the engine does while it lints (``Engine.lint_batch``)."""
    times = []
    for _ in range(REPEATS):
        gc.collect()
        if not collecting:
            gc.disable()
        try:
            start = time.perf_counter()
            function(*args)
            times.append(time.perf_counter() - start)
        finally:
            gc.enable()
    return min(times)


def timings(bodies: list[str]) -> dict[str, float]:
    from twelvecheck.parse.shell import parse_script

    read = parse_script.__wrapped__
    big = big_script()
    found = {}
    for collecting, how in ((False, "GC paused, as the engine lints"), (True, "GC on")):
        found[f"{BIG_LINES // 1000}k-line script ({how})"] = best_of(read, big,
                                                                      collecting=collecting)
        found[f"{len(bodies)} corpus RUN bodies ({how})"] = best_of(
            lambda: [read(body) for body in bodies], collecting=collecting)
    return found


def export_revision(revision: str, into: Path) -> Path:
    archive = subprocess.run(["git", "-C", str(REPO), "archive", revision, "twelvecheck"],
                             check=True, capture_output=True).stdout
    with tempfile.TemporaryFile() as file:
        file.write(archive)
        file.seek(0)
        with tarfile.open(fileobj=file) as tar:
            tar.extractall(into, filter="data")
    return into


def run_child(tree: Path, job: str, payload: object) -> object:
    """Run ``job`` of this script in a subprocess that imports ``twelvecheck`` from ``tree``."""
    with tempfile.TemporaryDirectory() as scratch:
        given, result = Path(scratch) / "in.pickle", Path(scratch) / "out.pickle"
        given.write_bytes(pickle.dumps(payload))
        subprocess.run([sys.executable, __file__, "--child", job, str(tree), str(given),
                        str(result)], check=True)
        return pickle.loads(result.read_bytes())


def child(job: str, tree: str, given: str, result: str) -> None:
    sys.path.insert(0, tree)
    import twelvecheck

    assert twelvecheck.__file__.startswith(tree), twelvecheck.__file__
    payload = pickle.loads(Path(given).read_bytes())
    answer = read_all(payload) if job == "read" else timings(payload)
    Path(result).write_bytes(pickle.dumps(answer))


def compare(revision: str, inputs: list[str]) -> int:
    """Count the inputs whose Script differs between this tree and ``revision``."""
    with tempfile.TemporaryDirectory() as scratch:
        old = run_child(export_revision(revision, Path(scratch)), "read", inputs)
    new = read_all(inputs)
    differing = [index for index, (a, b) in enumerate(zip(old, new)) if a != b]
    for index in differing[:5]:
        print(f"DIFFERS on input {inputs[index][:200]!r}:\n  old {old[index][:400]}\n"
              f"  new {new[index][:400]}")
    digest = hashlib.sha256("\n".join(new).encode()).hexdigest()[:16]
    print(f"identity: {len(inputs) - len(differing)} of {len(inputs)} inputs give the same "
          f"Script as {revision} (sha256 of all reprs {digest})")
    return len(differing)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compare", metavar="REV", help="time REV too and check identity")
    parser.add_argument("--generated", type=int, default=20_000,
                        help="how many random fragment scripts to compare")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(*options.child)
        return 0
    sys.path.insert(0, str(REPO))
    bodies = corpus_run_bodies()
    current = timings(bodies)
    old = {}
    if options.compare:
        with tempfile.TemporaryDirectory() as scratch:
            old = run_child(export_revision(options.compare, Path(scratch)), "time", bodies)
    for label, seconds in current.items():
        line = f"{label}: {seconds:.3f} s"
        if label in old:
            line = f"{label}: {options.compare} {old[label]:.3f} s -> this tree {seconds:.3f} s " \
                   f"({old[label] / seconds:.2f}x)"
        print(line)
    if not options.compare:
        return 0
    inputs = [big_script(), big_script(1000).replace("\n", "\r\n")] + bodies + TRICKY \
        + generated_inputs(options.generated)
    return 1 if compare(options.compare, inputs) else 0


if __name__ == "__main__":
    sys.exit(main())
