from __future__ import annotations

import re
from collections.abc import Iterator

from twelvecheck.build.inspect import KEY_MARKER
from twelvecheck.findings import Finding
from twelvecheck.rules._verify import evidence, inside_dependency, layer_span, size
from twelvecheck.rules.image._base import ImageRule

# What makes each credential file a secret: content, not the name alone (dockle#159, #250 flag
# package files for their names). An .npmrc without a token is configuration.
_CONTENT = (
    (re.compile(r"(^|/)\.aws/credentials$"), re.compile(rb"aws_secret_access_key\s*=\s*\S")),
    (re.compile(r"(^|/)\.git-credentials$"), re.compile(rb"https?://[^:/\s]+:[^@\s]+@")),
    (re.compile(r"(^|/)\.npmrc$"), re.compile(rb"(_authToken|_auth|_password)\s*=\s*[^\s$]")),
    (re.compile(r"(^|/)\.pypirc$"), re.compile(rb"(?m)^\s*password\s*[=:]\s*\S")),
    (re.compile(r"(^|/)\.netrc$"), re.compile(rb"\bpassword\s+\S")),
    (re.compile(r"(^|/)\.docker/config\.json$"), re.compile(rb'"auth"\s*:\s*"[^"]+"')),
    (re.compile(r"(^|/)\.env(\.[\w.-]+)?$"),
     re.compile(rb"(?im)^\s*(export\s+)?\w*(secret|token|passw(or)?d|api_?key|private_?key)\w*\s*=\s*['\"]?[^\s'\"$]")),
)
_EXAMPLES = re.compile(r"\.(example|sample|template|dist)$")


def secret_kind(path: str, sample: bytes | None) -> str | None:
    """What secret a file's content shows, or None."""
    if not sample:
        return None
    if KEY_MARKER.search(sample):
        return "a private key"
    if _EXAMPLES.search(path):
        return None
    for name, content in _CONTENT:
        if name.search(path) and content.search(sample):
            return "credentials"
    return None


class PrivateKeyInImage(ImageRule):
    """A private key or credentials file in a layer of the image, deleted later or not.

    ## What it does
    Reads every file of every layer that could hold a secret and flags those whose *content*
    shows one: a PEM `PRIVATE KEY` or OpenSSH private key anywhere, `.aws/credentials` with a
    secret access key, `.git-credentials` with a password in a URL, `.npmrc` with an auth token,
    `.pypirc` or `.netrc` with a password, Docker's `config.json` with an `auth`, an `.env` file
    assigning a secret-looking variable. Names alone never fire (a `.npmrc` with a registry URL
    is configuration), and `*.example`/`*.sample` files are skipped, as are files inside
    dependency trees (`site-packages`, `node_modules`, `vendor`, Python's `test` package), whose
    test keys belong to the package, not to you. A file deleted by a later
    instruction is still flagged: its layer still ships it, and anyone who pulls the image can
    read it.

    ## Why is this bad?
    Twelve-factor III (config): credentials come from the environment at run time. One baked
    into a layer is readable by everyone who can pull the image, forever, and rotating it is the
    only fix.

    ## Example
    ```files
    -- Dockerfile --
    FROM scratch
    COPY deploy_key /root/.ssh/id_ed25519
    -- deploy_key --
    -----BEGIN OPENSSH PRIVATE KEY-----
    b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
    -----END OPENSSH PRIVATE KEY-----
    ```

    Use instead:
    ```files
    -- Dockerfile --
    FROM scratch
    COPY known_hosts /root/.ssh/known_hosts
    -- known_hosts --
    github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl
    ```

    ## References
    - dockle `CIS-DI-0010` (do not store credential in environment variables/files)
    - [Docker build secrets](https://docs.docker.com/build/building/secrets/)
    """

    code = "IM002"
    name = "private-key-in-image"
    severity = "error"
    factors = ("III",)
    security_severity = 8.5

    def check(self, image) -> Iterator[Finding]:
        for path in sorted(image.paths):
            if inside_dependency(path):
                continue  # packages ship test keys (cryptography, Python's own test suite)
            events = image.paths[path]
            for position, event in enumerate(events):
                what = secret_kind(path, event.sample) if event.type == "file" else None
                if what is None:
                    continue
                later = next((e for e in events[position + 1:] if e.layer != event.layer), None)
                removed = image.line_of(later.layer) if later is not None else None
                description = f"{path} ({size(event.size)}, {what}) is in layer {event.layer}"
                if later is not None:
                    description += (f" and stays in the image after the step at line {removed} "
                                    f"{'deletes' if later.kind == 'deleted' else 'replaces'} it")
                proof = evidence(image, description, event.layer, path=path, bytes=event.size, removed_at=removed)
                message = f"{path} holds {what}" + (" (deleted later, still in its layer)" if later else "")
                yield Finding(layer_span(image, event.layer), message,
                              hint="use RUN --mount=type=secret for build-time secrets and rotate this one",
                              evidence=(proof,))
