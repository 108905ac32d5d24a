from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.shell._base import ShellRule

_LOCKED = frozenset({"*", "!", "!!", "x", ""})  # hash values that lock an account


def _option_value(words: list[str], short: str, long: str) -> str | None:
    for index, word in enumerate(words):
        if word in (short, long) and index + 1 < len(words):
            return words[index + 1]
        if word.startswith(long + "="):
            return word.partition("=")[2]
    return None


class PasswordSetInRun(ShellRule):
    """A RUN sets or removes an account password: `chpasswd`, `passwd --stdin`, `useradd -p`.

    ## What it does
    Reports `chpasswd`, `passwd --stdin`, `passwd` reading a pipe, `passwd -d` (an empty
    password), and `useradd`/`usermod` with `-p`/`--password` other than a locking value
    (`'*'`, `'!'`).

    ## Why is this bad?
    The password (or its hash) is written into the image, and usually into the Dockerfile and
    the build history as well: everyone who can pull the image can log in with it, or crack
    it. A container needs no login password; `USER` switches users.

    ## Example
    ```dockerfile
    FROM debian:12-slim
    RUN useradd -m app && echo 'app:app123' | chpasswd
    ```

    Use instead:
    ```dockerfile
    FROM debian:12-slim
    RUN useradd -m app
    USER app
    ```

    ## References
    - [Checkov CKV2_DOCKER_17](https://www.checkov.io/5.Policy%20Index/dockerfile.html)
    """

    code = "SH104"
    name = "password-set-in-run"
    severity = "warning"
    aliases = {"checkov": ("CKV2_DOCKER_17",)}
    commands = frozenset({"chpasswd", "passwd", "useradd", "usermod", "adduser"})

    def check_command(self, ctx, run, command) -> Iterator[Finding]:
        words = [word.value for word in command.argv[1:]]
        what = None
        if command.name == "chpasswd":
            what = "chpasswd sets passwords"
        elif command.name == "passwd":
            if "--stdin" in words or command.pipe_position > 0:
                what = "passwd sets a password from the script"
            elif "-d" in words or "--delete" in words:
                what = "passwd -d leaves the account without a password"
        elif command.name in ("useradd", "usermod"):
            value = _option_value(words, "-p", "--password")
            if value is not None and value not in _LOCKED:
                what = f"{command.name} -p writes a password hash into the image"
        if what:
            yield Finding(run.command_span(command), what,
                          hint="containers need no login password: drop it, and use USER to switch users")
