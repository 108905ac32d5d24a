from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import DockerfileRule
from twelvecheck.rules.dockerfile._runs import run_commands
from twelvecheck.rules.dockerfile._startup import is_development_dockerfile

# Server packages of databases, queues and caches, as distributions name them.
SERVER_PACKAGES = frozenset({
    "postgresql", "postgresql-server", "mysql-server", "mariadb-server", "mariadb", "redis-server", "redis",
    "mongodb", "mongodb-org", "mongodb-server", "rabbitmq-server", "memcached", "elasticsearch", "kafka",
    "cassandra", "couchdb", "neo4j", "valkey", "valkey-server", "opensearch",
})
SERVER_PREFIXES = ("postgresql-1", "postgresql1", "mysql-server-", "mariadb-server-")


def server_package(name: str) -> bool:
    return name in SERVER_PACKAGES or name.startswith(SERVER_PREFIXES)


class BackingServiceInAppImage(DockerfileRule):
    """A database, queue or cache server installed into the application image.

    ## What it does
    Flags package installs (apt, apk, yum/dnf, zypper) of database, queue and cache *servers*
    (`postgresql`, `mysql-server`, `redis-server`, `rabbitmq-server`, `mongodb-org`…) in the
    final image's stages (development and test Dockerfiles are skipped). Client packages (`postgresql-client`, `libpq-dev`) are fine.

    ## Why is this bad?
    Factor IV (backing services): a database is an attached resource, swapped by changing a
    URL, not a process sharing the app's container. Its data dies with the container and it
    cannot scale, back up or upgrade on its own.

    ## Example
    ```dockerfile
    FROM debian:12-slim
    RUN apt-get update && apt-get install -y --no-install-recommends postgresql redis-server
    ```

    Use instead:
    ```dockerfile
    FROM debian:12-slim
    RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client
    ```
    """

    code = "DF211"
    name = "backing-service-in-app-image"
    severity = "warning"
    factors = ("IV",)

    def check(self, ctx) -> Iterator[Finding]:
        if _is_the_service_image(ctx) or is_development_dockerfile(ctx.path):
            return
        for run, command in run_commands(ctx):
            invocation = run.invocation(command)
            packages = getattr(invocation, "packages", None) if invocation is not None else None
            if invocation is None or invocation.tool in ("pip", "npm", "yarn", "gem", "go", "curl", "wget") or not packages:
                continue
            servers = [p.name for p in packages if server_package(p.name)]
            if servers:
                yield Finding(run.command_span(command), f"installs the backing service server(s) {', '.join(servers)} into the app image",
                              hint="run the database/queue as its own service (compose service, managed service) and connect by URL")


def _is_the_service_image(ctx) -> bool:
    """An image of the server itself (a postgres image, a redis image) is not an app image."""
    name = ctx.path.lower()
    return any(server.split("-")[0] in name for server in SERVER_PACKAGES)
