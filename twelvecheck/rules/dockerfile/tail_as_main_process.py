from __future__ import annotations

from twelvecheck.rules._commands import follows_file, line_of
from twelvecheck.rules.dockerfile._startup import StartCommandRule


class TailAsMainProcess(StartCommandRule):
    """`tail -f` keeps the container alive (and is PID 1 or the last foreground process).

    ## What it does
    Flags `tail -f`/`-F` in the start command or entrypoint scripts.

    ## Why is this bad?
    Factor XI (logs) and IX (disposability): the real app runs in the background writing to a
    file, `tail` forwards the file. When the app dies the container keeps running, and SIGTERM
    reaches `tail`, not the app.

    ## Example
    ```dockerfile
    FROM debian:12-slim
    CMD /usr/sbin/app --daemon && tail -f /var/log/app.log
    ```

    Use instead:
    ```dockerfile
    FROM debian:12-slim
    CMD ["/usr/sbin/app", "--foreground"]
    ```
    """

    code = "DF207"
    name = "tail-as-main-process"
    severity = "warning"
    factors = ("XI", "IX")
    hint = "run the app in the foreground, logging to stdout"

    def judge(self, command):
        return f"keeps the container alive with {line_of(command)}" if follows_file(command) else None
