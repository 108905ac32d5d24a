"""Build secrets: ``twelvecheck build --secret id=ID,src=FILE`` (or ``env=VAR``) and what a
``RUN --mount=type=secret,id=ID`` sees.

A secret's bytes are read only when a RUN step that mounts it actually runs, written to a private
file in the build's scratch directory (never the rootfs, never the cache directory) and
bind-mounted read-only into the sandbox; the mount point the runtime had to create is removed
afterwards (sandbox.py), so neither the bytes nor ``/run/secrets`` end up in a layer.  An
``env=`` secret reaches the step through the runtime's own environment (bwrap's process
environment, which only the same user can read in ``/proc/PID/environ``) or runc's
``config.json`` in the private work directory: never a command line, where every local user
could read it (tests/security/test_secrets.py).

The cache key of such a step holds the mount as written (so a different ``id`` or ``target`` is a
different step) but not the secret's content, as in BuildKit: rotating a secret does not rebuild
the steps that used it.  Use ``--no-cache`` when a step's result depends on the secret's value.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

SECRETS_DIR = "/run/secrets"


class SecretError(ValueError):
    pass


@dataclass(frozen=True)
class SecretSource:
    """Where a secret's bytes come from: a file or an environment variable of the builder."""

    id: str
    file: str | None = None
    env: str | None = None

    def read(self) -> bytes:
        if self.file is not None:
            try:
                with open(self.file, "rb") as handle:
                    return handle.read()
            except OSError as error:
                raise SecretError(f"secret {self.id!r}: cannot read {self.file}: {error.strerror}") from None
        value = os.environ.get(self.env or "")
        if value is None:
            raise SecretError(f"secret {self.id!r}: environment variable {self.env} is not set")
        return value.encode()


def parse_secret_option(text: str) -> SecretSource:
    """``id=ID,src=FILE`` (also ``source=``), ``id=ID,env=VAR``, or ``id=ID`` alone: the
    environment variable ``ID`` when it is set, else the file ``ID`` (docker buildx's rule)."""
    options: dict[str, str] = {}
    for item in text.split(","):
        name, sep, value = item.partition("=")
        if not sep:
            raise SecretError(f"--secret {text!r}: expected KEY=VALUE items, got {item!r}")
        options[name.strip().lower()] = value
    secret_id = options.pop("id", "")
    if not secret_id:
        raise SecretError(f"--secret {text!r}: needs id=ID")
    kind = options.pop("type", None)
    source = options.pop("src", None) or options.pop("source", None)
    env = options.pop("env", None)
    if options:
        raise SecretError(f"--secret {text!r}: unknown option {sorted(options)[0]!r} (use id, src, env, type)")
    if source is not None and env is not None:
        raise SecretError(f"--secret {text!r}: give src= or env=, not both")
    if kind == "env" or env is not None:
        return SecretSource(secret_id, env=env or source or secret_id)
    if source is None and kind is None and secret_id in os.environ:
        return SecretSource(secret_id, env=secret_id)
    return SecretSource(secret_id, file=source or secret_id)
