from __future__ import annotations

import re
from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules._verify import config_verdict
from twelvecheck.rules.base import InstructionRule

APP_STATE = re.compile(r"(^|/)(uploads?|sessions?|media|attachments|files|storage|app|srv/app|var/www(/html)?|public|static|tmp/sessions)(/|$)", re.IGNORECASE)


class VolumeForAppState(InstructionRule):
    """`VOLUME` on an application path (uploads, sessions, media, the app directory).

    ## What it does
    Flags `VOLUME` paths that hold application state: uploads, sessions, media, storage, or the
    application directory itself. Data directories of database images are not flagged.

    ## Why is this bad?
    Factor VI (processes): processes are stateless and share nothing; state lives in a backing
    service. A volume for uploads or sessions ties users to one container, breaks when the app
    scales out, and `VOLUME` on the app directory hides later image updates behind old data.

    ## Example
    ```dockerfile
    FROM php:8.3-apache
    VOLUME /var/www/html/uploads
    ```

    Use instead:
    ```dockerfile
    FROM php:8.3-apache
    # uploads go to object storage (S3_BUCKET set per deploy)
    CMD ["apache2-foreground"]
    ```
    """

    code = "DF213"
    name = "volume-for-app-state"
    severity = "warning"
    factors = ("VI",)
    keywords = frozenset({"VOLUME"})

    def check_instruction(self, ctx, instruction) -> Iterator[Finding]:
        for path in instruction.args:
            if APP_STATE.search(ctx.expand(path, instruction).strip("\"'")):
                yield Finding(instruction.span, f"VOLUME {path} keeps application state on the container's host",
                              hint="store uploads and sessions in a backing service (object storage, database, cache)",
                              subject=ctx.expand(path, instruction).strip("\"'"))

    def verify(self, finding: Finding, image):
        volumes = list(image.config.config.volumes)
        return config_verdict(image, "volumes", finding.subject in volumes, volumes,
                              f"the image config's Volumes has {finding.subject}",
                              f"the image config's Volumes is {volumes}, without {finding.subject}")
