from __future__ import annotations

from twelvecheck.rules._commands import line_of, runs_migrations
from twelvecheck.rules.dockerfile._startup import StartCommandRule


class MigrationsOnBoot(StartCommandRule):
    """Database migrations run every time the container starts.

    ## What it does
    Reports migration commands (`manage.py migrate`, `rails db:migrate`, `alembic upgrade`,
    `prisma migrate deploy`, `artisan migrate`…) in CMD, ENTRYPOINT or entrypoint scripts.

    ## Why is this bad?
    Factor XII (admin processes) and IX (disposability): migrations are a one-off admin process
    run once per release. On boot they run once per replica and per restart, race each other,
    and slow every start. Common in small deployments, hence `info`.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    CMD python manage.py migrate && exec gunicorn app.wsgi
    ```

    Use instead:
    ```dockerfile
    FROM python:3.12-slim
    CMD ["gunicorn", "app.wsgi"]
    ```
    """

    code = "DF205"
    name = "migrations-on-boot"
    severity = "info"
    factors = ("XII", "IX")
    hint = "run migrations as a one-off release task (docker compose run --rm app migrate, a Job)"

    def judge(self, command):
        return f"runs database migrations: {line_of(command)}" if runs_migrations(command) else None
