"""git (git(1), git-config(1)): the global options before the subcommand, and ``git config``."""

from __future__ import annotations

from dataclasses import dataclass

from twelvecheck.parse.commands._invocation import Invocation
from twelvecheck.parse.commands._options import OptionTable, flag, parse_options, valued
from twelvecheck.parse.shell import Command, Word

# Options of git itself, before the subcommand (git(1)).
TABLE = OptionTable(
    valued("config", "-c"), valued("directory", "-C"), valued("git-dir"), valued("work-tree"),
    valued("namespace"), valued("exec-path"), valued("config-env"),
    flag("no-pager", "--no-pager"), flag("paginate", "-p", "--paginate"), flag("bare"),
    flag("no-replace-objects"), flag("literal-pathspecs"), flag("no-optional-locks"),
)
_CONFIG_SCOPES = frozenset({"--global", "--system", "--local", "--worktree", "--add", "--replace-all"})
_FALSE = frozenset({"false", "0", "no", "off"})


@dataclass(frozen=True, slots=True)
class GitInvocation(Invocation):
    @property
    def settings(self) -> dict[str, str]:
        """Configuration set by this run: ``-c key=value`` and ``git config [--global] key
        value`` (``git config set key value`` too); keys lower-cased."""
        found: dict[str, str] = {}
        for setting in self.values("config"):
            key, _, value = setting.partition("=")
            found[key.strip().lower()] = value.strip() or "true"
        if self.subcommand == "config":
            words = [word.value for word in self.operands if word.value not in _CONFIG_SCOPES]
            if words[:1] == ["set"]:
                words = words[1:]
            if len(words) == 2 and not words[0].startswith("-"):
                found[words[0].lower()] = words[1]
        return found

    @property
    def disables_tls_verification(self) -> bool:
        """``http.sslVerify`` (or ``http.<url>.sslVerify``) set to false."""
        return any(key.startswith("http.") and key.endswith(".sslverify") and value.lower() in _FALSE
                   for key, value in self.settings.items())


def parse(command: Command, words: tuple[Word, ...]) -> GitInvocation:
    """Options before the subcommand belong to git; everything after it is an operand."""
    index = 0
    while index < len(words) and words[index].value.startswith("-"):
        option = TABLE.by_spelling.get(words[index].value.partition("=")[0])
        takes_value = option is not None and option.takes_value and "=" not in words[index].value
        index += 2 if takes_value else 1
    parsed = parse_options(words[:index], TABLE)
    rest = words[index:]
    subcommand = rest[0].value if rest else None
    return GitInvocation("git", subcommand, parsed.options, tuple(rest[1:]), command)
