from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import Rule
from twelvecheck.lazy_re import lazy_compile

# Named volumes that cache dependencies or build output are not application state.
CACHE_TARGET = lazy_compile(r"(node_modules|vendor|\.venv|venv|site-packages|\.cache|cache|\.gradle|\.m2|target|dist|build|tmp|bundle|gems|\.next|\.nuxt)/?$")
# Where application state sits: under the app's own directory, or named for user data.
APP_STATE_TARGET = lazy_compile(r"^/(app|usr/src/app|var/www|srv|code|opt/app|home/[^/]+/app)(/|$)|(^|/)(uploads?|sessions?|media|storage|attachments)(/|$)")


class AppStateInVolume(Rule):
    """A named volume on a service built from the app's code: state kept on one host.

    ## What it does
    Flags named volumes mounted into services that have `build:` (the app's own processes) at
    application paths (`/app`, `/usr/src/app`, `/var/www`, `/srv`, `uploads`, `sessions`,
    `media`, `storage`), except dependency and build caches (`node_modules`, `vendor`, `.venv`).
    Data directories of locally built databases are left alone.

    ## Why is this bad?
    Factor VI (processes): app processes are stateless; anything that must persist lives in a
    backing service. A volume for uploads or sessions pins users to one host and breaks scaling.

    ## Example
    ```yaml
    services:
      app:
        build: .
        volumes: ["uploads:/app/uploads"]
    volumes:
      uploads: {}
    ```

    Use instead:
    ```yaml
    services:
      app:
        build: .
        environment:
          UPLOAD_BUCKET: ${UPLOAD_BUCKET:?}
    ```
    """

    code = "DC024"
    name = "app-state-in-volume"
    severity = "warning"
    factors = ("VI",)
    kind = "compose"

    def check(self, ctx) -> Iterator[Finding]:
        for service in ctx.services.values():
            if service.build is None:
                continue
            for mount in service.volumes:
                target = mount.target.rstrip("/")
                if mount.type == "volume" and mount.source and APP_STATE_TARGET.search(target) and not CACHE_TARGET.search(target):
                    yield ctx.finding(mount.node, f"service '{service.name}' keeps state in the named volume '{mount.source}' ({mount.target})",
                                      hint="keep state in a backing service (database, object storage, cache)")
