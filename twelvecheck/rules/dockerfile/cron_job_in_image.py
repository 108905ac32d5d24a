from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.parse.model import Span
from twelvecheck.rules.base import DockerfileRule
from twelvecheck.rules.dockerfile._copied import copied_files
from twelvecheck.lazy_re import lazy_compile

# A crontab entry: five time fields or an @keyword, then (in /etc/cron.d files) a user, then the command.
ENTRY = lazy_compile(r"^\s*(@(reboot|yearly|annually|monthly|weekly|daily|midnight|hourly)|([\d*/,\-A-Za-z]+\s+){4}[\d*/,\-A-Za-z]+)\s+\S")


class CronJobInImage(DockerfileRule):
    """A crontab copied into the image schedules jobs inside the app container.

    ## What it does
    Reads crontab files the final image copies from the build context (into `/etc/cron.d`,
    `/etc/crontabs`, `/var/spool/cron`, or named `crontab`/`*.cron`) and reports each job at its
    line in that file.

    ## Why is this bad?
    Factor XII (admin processes) and VIII (concurrency): scheduled jobs are one-off processes
    run from the platform's scheduler against the release. A crontab in the image runs every job
    once per replica, with output in files nobody collects.

    ## Example
    ```files
    -- crontab --
    0 3 * * * root php /app/artisan cleanup
    -- Dockerfile --
    FROM php:8.3-cli
    COPY crontab /etc/cron.d/app
    CMD ["cron", "-f"]
    ```

    Use instead:
    ```dockerfile
    FROM php:8.3-cli
    CMD ["php", "artisan", "schedule:run"]
    ```
    """

    code = "DF222"
    name = "cron-job-in-image"
    severity = "warning"
    factors = ("XII", "VIII")

    def check(self, ctx) -> Iterator[Finding]:
        for copied in copied_files(ctx, _is_crontab):
            for number, line in enumerate(copied.text.splitlines(), start=1):
                if ENTRY.match(line) and not line.lstrip().startswith("#"):
                    yield Finding(Span(number, 1, number, len(line) + 1), f"cron job inside the image: {line.strip()}",
                                  hint="run the job as a one-off of the image from the platform's scheduler (a Kubernetes CronJob)",
                                  file=copied.display)


def _is_crontab(name: str, destination: str) -> bool:
    lowered = name.lower()
    return (lowered in ("crontab", "cronjobs", "cron") or lowered.endswith((".cron", ".crontab"))
            or any(part in destination for part in ("/etc/cron.d", "/etc/crontabs", "/var/spool/cron", "crontab")))
