from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.parse.shell import parse_script
from twelvecheck.rules._commands import line_of, runs_migrations
from twelvecheck.rules.base import Rule
from twelvecheck.rules.compose._private import command_text


class MigrationsOnStart(Rule):
    """A long-running service whose `command` runs database migrations before starting.

    ## What it does
    Reports `command`/`entrypoint` values that run a migration (`manage.py migrate`,
    `rails db:migrate`, `alembic upgrade`…) followed by another command. A service that only
    migrates (a one-off release task) is fine.

    ## Why is this bad?
    Factor XII (admin processes) and IX (disposability): migrations are a one-off process per
    release. In the start command they run once per replica and restart, race each other, and
    delay readiness. Common in small setups, hence `info`.

    ## Example
    ```yaml
    services:
      web:
        image: example/web:2.0
        command: sh -c "python manage.py migrate && gunicorn app.wsgi"
    ```

    Use instead:
    ```yaml
    services:
      migrate:
        image: example/web:2.0
        command: python manage.py migrate
      web:
        image: example/web:2.0
        command: gunicorn app.wsgi
        depends_on:
          migrate: {condition: service_completed_successfully}
    ```
    """

    code = "DC028"
    name = "migrations-on-start"
    severity = "info"
    factors = ("XII", "IX")
    kind = "compose"

    def check(self, ctx) -> Iterator[Finding]:
        for service in ctx.services.values():
            for key in ("entrypoint", "command"):
                node = service.get(key)
                text = command_text(node)
                if not text:
                    continue
                commands = [c for c in parse_script(text) if c.wrapped_by is None or c.depth > 0]
                migrations = [c for c in commands if runs_migrations(c)]
                others = [c for c in commands if not runs_migrations(c) and c.name not in ("sh", "bash", "exec", "echo", "sleep", "set")]
                if migrations and others:
                    yield ctx.finding(node, f"service '{service.name}' runs migrations at every start: {line_of(migrations[0])}",
                                      hint="run migrations in a one-off service or release step")
