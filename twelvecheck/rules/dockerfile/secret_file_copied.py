from __future__ import annotations

import os
import posixpath
from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules._verify import evidence, left_in_layers, not_checkable, refuted, confirmed, size, step_layers
from twelvecheck.parse.model import Instruction
from twelvecheck.rules._secrets import private_key_destination, secret_file
from twelvecheck.rules.base import InstructionRule


class SecretFileCopied(InstructionRule):
    """`COPY`/`ADD` puts a likely secret file into the image.

    ## What it does
    Reports a `COPY` or `ADD` source, in the stages the final image is built from, named like a
    credential: `.env` (not `.env.example`), `*.pem` and `*.key` (not `*.pub`, `ca.pem`,
    `cert.pem`, `fullchain.pem`), `id_rsa` and the other SSH key names, `.npmrc`, `.pypirc`,
    `.netrc`, `.git-credentials`, `.htpasswd`, key stores (`*.p12`, `*.pfx`, `*.jks`), and
    anything under `.ssh/`, `.aws/`, `.gnupg/`, `.kube/`, or `.docker/config.json`. Variables
    are substituted first. A copy into a build stage that the final image does not inherit is
    not reported (that is how a multi-stage build keeps a secret out).

    When the build context (the Dockerfile's directory) holds the source, its text decides:
    a PEM file with only certificates, public keys or DH parameters is public whatever its
    name, and a private key block is a secret under any name; an `.npmrc`, `.pypirc` or `.netrc`
    is one only with a credential line that is not a `${VAR}` the tool expands (an `.npmrc` of
    `engine-strict=true` leaks nothing). A file the context does not hold
    that is copied to a private key's place (`~/.ssh/id_rsa`, `*.key`) counts too.
    `COPY . .` is judged only by what can be seen: the rule does not guess what the build
    context holds.

    ## Why is this bad?
    Every file copied into a layer ships with the image; deleting it in a later step does not
    remove it from the earlier layer. Build-time credentials belong in
    `RUN --mount=type=secret`, run-time ones in the orchestrator's secret store.
    Factor III (config): secrets belong to the deploy environment, not to the image.

    ## Example
    ```dockerfile
    FROM node:22-slim
    COPY .npmrc package.json package-lock.json ./
    RUN npm ci
    ```

    Use instead:
    ```dockerfile
    FROM node:22-slim
    COPY package.json package-lock.json ./
    RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci
    ```

    ## References
    - [Build secrets](https://docs.docker.com/build/building/secrets/)
    """

    code = "DF104"
    name = "secret-file-copied"
    severity = "warning"
    factors = ("III",)
    keywords = frozenset({"COPY", "ADD"})

    def check_instruction(self, ctx, instruction: Instruction) -> Iterator[Finding]:
        if not ctx.in_final_image(instruction) or instruction.onbuild is not None:
            return
        words = ctx.argument_words(instruction) if not instruction.json else [(arg, instruction.span) for arg in instruction.args]
        destination = ctx.expand(words[-1][0], instruction) if words else ""
        for word, span in words[:-1]:
            if word.startswith("<<"):
                continue  # a heredoc: its content is in the Dockerfile
            source = ctx.expand(word, instruction)
            if "://" in source:
                continue  # a URL: ADD's remote rules judge it
            content = _context_text(ctx, instruction, source)
            why = secret_file(source, content)
            if why is None and content is None and _renamed_to_private_key(source, destination):
                why = "a private key (by where it goes)"
            if why:
                yield Finding(span, f"{instruction.keyword} {word} puts {why} into the image",
                              hint="mount it for the step that needs it: RUN --mount=type=secret,id=…,target=…",
                              subject=source.rstrip("/").rsplit("/", 1)[-1])

    def verify(self, finding: Finding, image):
        """The copied file in the COPY's layer, even when a later step deletes it."""
        line, layers = step_layers(image, finding)
        if not layers:
            return not_checkable(f"the image has no layer for line {line or finding.span.line}")
        name = finding.subject or ""
        hits = [item for item in left_in_layers(image, [layer.number for layer in layers], ("/",))
                if f"/{name}" in item.path and (item.path.endswith("/" + name) or f"/{name}/" in item.path)]
        if not hits:
            return refuted(evidence(image, f"layer {layers[0].number} (line {line}) holds no file named {name}",
                                    layers[0].number))
        total = sum(item.bytes for item in hits)
        first = hits[0]
        later = f"; the step at line {first.removed_at} deletes it, but the layer still ships it" if first.removed_at else ""
        return confirmed(evidence(image, f"{first.path} ({size(first.bytes)}) is in layer {layers[0].number}{later}",
                                  layers[0].number, path=first.path, bytes=total, removed_at=first.removed_at))


_MAX_KEY_FILE = 64 * 1024  # keys and certificates are small; a bigger file is no PEM bundle


def _context_text(ctx, instruction: Instruction, source: str) -> str | None:
    """The source file's text when the build context (the Dockerfile's directory) holds it
    as a plain file; None for globs, other stages' files and anything unreadable."""
    from twelvecheck.files import read_text

    if ctx.directory is None or instruction.flag("from") is not None or any(c in source for c in "*?["):
        return None
    path = os.path.normpath(os.path.join(ctx.directory, source.lstrip("/")))
    if not path.startswith(ctx.directory + os.sep) or not os.path.isfile(path):
        return None
    text = read_text(path, _MAX_KEY_FILE, root=ctx.context_root)
    return text if isinstance(text, str) else None


def _renamed_to_private_key(source: str, destination: str) -> bool:
    """Copied under a private key's name (``COPY deploy_key /root/.ssh/id_rsa``); a copy into
    a directory keeps its own name, which ``secret_file`` judged already."""
    if destination.endswith("/") or destination in (".", ""):
        return False
    return posixpath.basename(destination) != posixpath.basename(source.rstrip("/")) \
        and private_key_destination(destination)
