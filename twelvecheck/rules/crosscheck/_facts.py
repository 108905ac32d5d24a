"""What application code asks of its container, read with small per-language patterns.

Patterns, not parsing: they see literal arguments on one line (``subprocess.run(["convert",
…])``, ``os.environ["KEY"]``, ``app.listen(3000)``) and miss commands built at run time, so
the checks built on them are partial by design: silence is not proof. They never report what
the code does not literally say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from twelvecheck.parse.model import Span
from twelvecheck.lazy_re import lazy_compile

_PROGRAM = r"""["'`]\s*([\w.+][\w.+-]*)"""  # the first word of a literal command (never an option)


@dataclass(frozen=True, slots=True)
class Fact:
    """One thing the code needs: a ``binary`` it runs, a ``port`` it listens on, or an ``env``
    variable it reads (``required``: read without a default)."""

    kind: str
    value: str
    file: str  # relative to the audited root
    span: Span
    required: bool = True


# (language suffixes, fact kind, pattern); group 1 is the value, a named group `default`
# marks an optional read.
_PATTERNS: list[tuple[tuple[str, ...], str, re.Pattern[str]]] = [
    ((".py",), "binary", re.compile(r"\bsubprocess\.(?:run|call|check_call|check_output|Popen)\(\s*\[?\s*" + _PROGRAM)),
    ((".py",), "binary", re.compile(r"\bos\.(?:system|popen)\(\s*" + _PROGRAM)),
    ((".py",), "port", re.compile(r"\.run\([^)]*\bport\s*=\s*(\d{2,5})\b")),
    ((".py",), "port", re.compile(r"""\b(?:os\.environ\.get|os\.getenv)\(\s*["']PORT["']\s*,\s*["']?(\d{2,5})""")),
    ((".py",), "env", re.compile(r"""\bos\.environ\[\s*["'](\w+)["']\s*\]""")),
    ((".py",), "env", re.compile(r"""\b(?:os\.environ\.get|os\.getenv)\(\s*["'](\w+)["']\s*(?P<default>,)?""")),
    ((".js", ".mjs", ".cjs", ".ts", ".jsx", ".tsx"), "binary",
     re.compile(r"(?:child_process\.|(?<![.\w]))(?:exec|execSync|spawn|spawnSync|execFile|execFileSync)\(\s*" + _PROGRAM)),
    ((".js", ".mjs", ".cjs", ".ts", ".jsx", ".tsx"), "port", re.compile(r"\.listen\(\s*(\d{2,5})\b")),
    ((".js", ".mjs", ".cjs", ".ts", ".jsx", ".tsx"), "port", re.compile(r"process\.env\.PORT\s*(?:\|\||\?\?)\s*(\d{2,5})\b")),
    ((".js", ".mjs", ".cjs", ".ts", ".jsx", ".tsx"), "env",
     re.compile(r"""process\.env(?:\.(\w+)|\[\s*["'](\w+)["']\s*\])(?P<default>\s*(?:\|\||\?\?))?""")),
    # the program is Command's first argument, CommandContext's second (after the context)
    ((".go",), "binary", re.compile(r"\bexec\.(?:Command\(|CommandContext\(\s*\w+\s*,)\s*" + _PROGRAM)),
    ((".go",), "port", re.compile(r"""\bListenAndServe(?:TLS)?\(\s*"[^"]*:(\d{2,5})\"""")),
    ((".go",), "env", re.compile(r"""\bos\.Getenv\(\s*"(\w+)"\s*\)""")),
    ((".go",), "env", re.compile(r"""\bos\.LookupEnv\(\s*"(\w+)"(?P<default>)""")),
    ((".java",), "binary", re.compile(r"\bnew\s+ProcessBuilder\(\s*(?:List\.of\(|Arrays\.asList\()?\s*" + _PROGRAM)),
    ((".java",), "binary", re.compile(r"\.exec\(\s*(?:new\s+String\[\]\s*\{\s*)?" + _PROGRAM)),
    ((".java",), "port", re.compile(r"\b(?:setPort|ServerSocket|create)\(\s*(?:new\s+InetSocketAddress\(\s*)?(\d{2,5})\s*[,)]")),
    ((".java",), "env", re.compile(r"""\bSystem\.getenv\(\s*"(\w+)"\s*\)""")),
    ((".java",), "env", re.compile(r"""\bSystem\.getenv\(\)\.getOrDefault\(\s*"(\w+)"(?P<default>)""")),
    ((".rb",), "binary", re.compile(r"`\s*([\w.+][\w.+-]*)[^`]*`")),  # a whole `…` pair: its first word
    ((".rb",), "binary", re.compile(r"\b(?:system|spawn|Open3\.\w+)\(\s*" + _PROGRAM)),
    ((".rb",), "port", re.compile(r"""\bset\s+:port\s*,\s*(\d{2,5})\b|ENV\.fetch\(\s*["']PORT["']\s*(?:,\s*["']?|\)\s*\{\s*["']?)(\d{2,5})""")),
    ((".rb",), "env", re.compile(r"""\bENV\[\s*["'](\w+)["']\s*\]""")),
    ((".rb",), "env", re.compile(r"""\bENV\.fetch\(\s*["'](\w+)["']\s*(?P<default>,|\)\s*\{)?""")),
]
_COMMENT = lazy_compile(r"^\s*(#|//|\*|/\*)")
_ASSIGNED = lazy_compile(r"\s*=(?!=)")


def facts_of(file: str, text: str) -> list[Fact]:
    """Every fact the patterns for ``file``'s language find, in source order."""
    patterns = [(kind, pattern) for suffixes, kind, pattern in _PATTERNS if file.endswith(suffixes)]
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if _COMMENT.match(line):
            continue
        for kind, pattern in patterns:
            for match in pattern.finditer(line):
                group = next(index for index in range(1, (match.re.groups or 1) + 1) if match.group(index))
                span = Span(number, match.start(group) + 1, number, match.end(group) + 1)
                optional = "default" in match.re.groupindex and match.group("default") is not None
                if kind == "env" and _ASSIGNED.match(line, match.end()):
                    continue  # os.environ["X"] = "1" sets the variable, it does not read it
                found.append(Fact(kind, match.group(group), file, span, required=not optional))
    return found
