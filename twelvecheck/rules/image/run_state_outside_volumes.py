from __future__ import annotations

import fnmatch
from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules._verify import size
from twelvecheck.rules.image._run import TMP_DIRS, RunProbe, measured, recording, span_of, under
from twelvecheck.rules.image.run_logs_to_files import log_files

LOG_PATTERNS = ["/var/log/*", "*.log"]
# Not state: bytecode caches the interpreter writes beside the code, and the files docker itself
# mounts into every container.
NOT_STATE = ("*/__pycache__/*", "*.pyc", "/etc/hosts", "/etc/hostname", "/etc/resolv.conf")


class RunStateOutsideVolumes(RunProbe):
    """The running process keeps state in the container's filesystem (verify --run).

    ## What it does
    `verify --run` records the files the container creates or changes during the run. Those
    outside the image's VOLUMEs and the temporary directories (`/tmp`, `/var/tmp`, `/run`,
    `/dev/shm`), and not logs (IM013 reports those), are reported with their paths and sizes.
    Bytecode caches (`__pycache__`, `*.pyc`) and the files docker mounts itself (`/etc/hosts`,
    `/etc/hostname`, `/etc/resolv.conf`) are not state.

    ## Why is this bad?
    Factor VI: processes are stateless and share nothing; what must survive goes to a backing
    service or at least a declared volume. Files in the writable layer are lost with the container
    and differ between replicas.

    ## Options
    - `ignore` (none): glob patterns of paths that may be written.

    ## Example
    ```files
    -- Dockerfile --
    FROM busybox
    CMD ["sh", "-c", "mkdir -p /srv/data; echo 1 > /srv/data/counter; trap 'exit 0' TERM; while :; do sleep 0.1; done"]
    ```

    Use instead:
    ```files
    -- Dockerfile --
    FROM busybox
    VOLUME /srv/data
    CMD ["sh", "-c", "mkdir -p /srv/data; echo 1 > /srv/data/counter; trap 'exit 0' TERM; while :; do sleep 0.1; done"]
    ```

    ## References
    - [The Twelve-Factor App, VI. Processes](https://12factor.net/processes)
    """

    code = "IM014"
    name = "run-state-outside-volumes"
    severity = "warning"
    factors = ("VI",)
    options = {"ignore": []}

    def check(self, image) -> Iterator[Finding]:
        run = recording(image)
        if run is None:
            return
        logs = {item.path for item in log_files(run, LOG_PATTERNS)}
        found = [item for item in run.files if item.path not in logs and not under(item.path, run.volumes)
                 and not under(item.path, TMP_DIRS)
                 and not any(fnmatch.fnmatch(item.path, pattern) for pattern in (*NOT_STATE, *self.config["ignore"]))]
        if not found:
            return
        span, line = span_of(image)
        evidence = tuple(measured(f"{item.path} {item.kind} during the run: {size(item.size)}", line, path=item.path,
                                  bytes=item.size) for item in found[:10])
        more = f" and {len(found) - 1} more" if len(found) > 1 else ""
        yield Finding(span, f"the container writes {found[0].path}{more} outside its VOLUMEs and tmp dirs",
                      hint="keep state in a backing service, or declare a VOLUME for the directory", evidence=evidence)
