from __future__ import annotations

from twelvecheck.rules._commands import runs_cron_daemon, started_service
from twelvecheck.rules.dockerfile._startup import StartCommandRule


class CronDaemonInImage(StartCommandRule):
    """A cron daemon started inside the application image.

    ## What it does
    Flags `cron`, `crond`, `busybox crond`, `supercronic` and similar in CMD, ENTRYPOINT or
    entrypoint scripts, also started through an init script (`service cron start`,
    `/etc/init.d/cron start`, `rc-service crond start`). When none of those is seen starting one, a cron daemon package the final
    image installs (`cron`, `cronie`, `dcron`, `anacron`, … through apt, apk, dnf/yum/microdnf/tdnf,
    zypper, pacman or emerge) is reported instead, as info: a start this file does not show
    (the base image's, a script from elsewhere) may run it.

    ## Why is this bad?
    Factor XII (admin processes) and VIII (concurrency): scheduled jobs are one-off processes
    run against a release, from the platform's scheduler. Cron inside the app container runs
    them once per replica (ten replicas, ten runs), logs them to files, and dies with the app.

    ## Example
    ```dockerfile
    FROM php:8.3-cli
    COPY crontab /etc/cron.d/app
    CMD cron && php-fpm -F
    ```

    Use instead:
    ```dockerfile
    FROM php:8.3-fpm
    CMD ["php-fpm", "-F"]
    ```
    """

    code = "DF204"
    name = "cron-daemon-in-image"
    severity = "warning"
    factors = ("XII", "VIII")
    hint = "schedule one-off runs of the image (a compose service with a scheduler, a Kubernetes CronJob)"
    daemon = "cron daemon"
    install_hint = "schedule jobs from the platform (a Kubernetes CronJob, a scheduler service) and leave cron out of the image"

    def judge(self, command):
        return f"starts the cron daemon '{started_service(command) or command.name}'" if runs_cron_daemon(command) else None
