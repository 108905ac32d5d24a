from __future__ import annotations

from twelvecheck.rules._commands import line_of, starts_init_service
from twelvecheck.rules.dockerfile._startup import StartCommandRule


class SeveralProcessesAtStart(StartCommandRule):
    """The start command launches background processes or init services (`a & b`, `service x start`).

    ## What it does
    Flags commands sent to the background with `&` and init-style service starts (`service nginx
    start`, `/etc/init.d/x start`, `systemctl start`) in CMD, ENTRYPOINT or entrypoint scripts.

    ## Why is this bad?
    Factor VIII (concurrency) and IX (disposability): the background process is nobody's child
    the platform knows. It is not restarted when it dies, does not get SIGTERM, and its logs may
    go nowhere. Run it as its own service.

    ## Example
    ```dockerfile
    FROM debian:12-slim
    CMD service nginx start && php-fpm -F
    ```

    Use instead:
    ```dockerfile
    FROM php:8.3-fpm
    CMD ["php-fpm", "-F"]
    ```
    """

    code = "DF203"
    name = "several-processes-at-start"
    severity = "warning"
    factors = ("VIII", "IX")
    hint = "run each long-lived process as its own container (a compose service)"

    def judge(self, command):
        if starts_init_service(command):
            return f"starts an init service: {line_of(command)}"
        if command.background and command.name not in ("wait", "sleep"):
            return f"sends a process to the background: {line_of(command)} &"
        return None
