from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import Rule

# Where one-off admin code lives in common frameworks.
ADMIN_PATHS = ("manage.py", "migrations", "alembic", "alembic.ini", "db/migrate", "database/migrations", "prisma",
               "bin", "scripts", "Rakefile", "artisan", "knexfile.js")


class DockerignoreExcludesAdminCode(Rule):
    """The `.dockerignore` leaves admin code (migrations, `manage.py`, `bin/`) out of the image.

    ## What it does
    Reports admin paths present in the build context (`manage.py`, `migrations/`, `alembic/`,
    `db/migrate`, `prisma/`, `bin/`, `scripts/`, `Rakefile`, `artisan`…) that a pattern excludes.

    ## Why is this bad?
    Factor XII (admin processes): one-off admin tasks run in an identical environment as the
    app, against the same release, from the same image. Without the migrations in the image,
    they must be run from a laptop or another image, against code of another version.

    ## Example
    ```files
    -- .dockerignore --
    .git
    migrations
    -- manage.py --
    -- migrations/0001_initial.py --
    ```

    Use instead:
    ```files
    -- .dockerignore --
    .git
    .env
    -- manage.py --
    -- migrations/0001_initial.py --
    ```
    """

    code = "DI002"
    name = "dockerignore-excludes-admin-code"
    severity = "warning"
    factors = ("XII",)
    kind = "dockerignore"

    def check(self, ctx) -> Iterator[Finding]:
        for path in ADMIN_PATHS:
            pattern = ctx.dockerignore.pattern_excluding(path) if ctx.exists(path) else None
            if pattern is not None:
                yield Finding(pattern.span, f"pattern '{pattern.text}' leaves the admin code {path} out of the image",
                              hint="ship admin code in the app image so one-off tasks run against the same release")
