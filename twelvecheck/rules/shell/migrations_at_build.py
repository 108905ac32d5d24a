from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules._commands import line_of, runs_migrations
from twelvecheck.rules.base import DockerfileRule
from twelvecheck.rules.dockerfile._runs import run_commands


class MigrationsAtBuild(DockerfileRule):
    """Database migrations run in a RUN step, at image build time.

    ## What it does
    Flags migration commands (`manage.py migrate`, `rails db:migrate`, `alembic upgrade`,
    `prisma migrate deploy`…) in RUN instructions.

    ## Why is this bad?
    Factor XII (admin processes) and V (build, release, run): migrations are a one-off process
    run against a release's database. At build time they need the production database from the
    build machine, run once per build instead of per release, and the build stops being
    reproducible.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    COPY . /app
    RUN python manage.py migrate
    ```

    Use instead:
    ```dockerfile
    FROM python:3.12-slim
    COPY . /app
    RUN python manage.py collectstatic --noinput
    ```
    """

    code = "SH201"
    name = "migrations-at-build"
    severity = "warning"
    factors = ("XII", "V")

    def check(self, ctx) -> Iterator[Finding]:
        for run, command in run_commands(ctx, final_only=False):
            if runs_migrations(command):
                yield Finding(run.command_span(command), f"RUN migrates a database at build time: {line_of(command)}",
                              hint="run migrations as a release task against the target database")
