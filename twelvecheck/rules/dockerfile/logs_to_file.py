from __future__ import annotations

from twelvecheck.rules._commands import log_file_target
from twelvecheck.rules.dockerfile._startup import StartCommandRule


class LogsToFile(StartCommandRule):
    """The app's output is redirected to a log file instead of stdout/stderr.

    ## What it does
    Flags start commands that redirect into `*.log` or `/var/log/…` files, or pass a log-file
    option (`--log-file`, `--access-logfile`, `--error-logfile`) that is not `-` or a standard
    stream. When no start command does, a syslog daemon the final image installs (`rsyslog`,
    `syslog-ng`, `sysklogd`, … through any system package manager) is reported instead, as info:
    whatever logs to syslog ends in its files.

    ## Why is this bad?
    Factor XI (logs): an app never concerns itself with routing or storing its output. Files in
    the container grow until the disk fills, vanish with the container, and `docker logs` shows
    nothing.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    CMD gunicorn app.wsgi --access-logfile /var/log/access.log
    ```

    Use instead:
    ```dockerfile
    FROM python:3.12-slim
    CMD ["gunicorn", "app.wsgi", "--access-logfile", "-"]
    ```
    """

    code = "DF206"
    name = "logs-to-file"
    severity = "warning"
    factors = ("XI",)
    hint = "write logs to stdout/stderr ('-' or /dev/stdout) and let the platform route them"
    daemon = "syslog daemon"
    install_hint = "log to stdout/stderr and leave the syslog daemon out of the image"

    def judge(self, command):
        target = log_file_target(command)
        return f"writes its logs to the file {target}" if target else None
