from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules._verify import files_left_verdict, not_checkable
from twelvecheck.parse.shell import Command
from twelvecheck.rules.mounts import caches_path, mounts
from twelvecheck.rules.shell._base import ShellRule

_COPIERS = frozenset({"cp", "mv", "install", "rsync", "dd"})
_HARMLESS_TARGETS = ("/dev/",)


class SecretMountPersisted(ShellRule):
    """A `RUN --mount=type=secret` step copies the secret into the image.

    ## What it does
    For a RUN with secret mounts, reports commands that write the secret (its file, by
    default `/run/secrets/<id>`, or its `env=` variable) to a path of the image: `cp`/`mv`/
    `install` of the secret file, and any command whose output is redirected to a file while
    naming the secret (`cat /run/secrets/npm > ~/.npmrc`,
    `echo "//registry/:_authToken=$NPM_TOKEN" >> .npmrc`, `… | tee .npmrc`). Not reported
    when the same RUN removes that file afterwards (`rm -f ~/.npmrc`), or when it lies under a
    cache or tmpfs mount, or is a `/dev/` path.

    ## Why is this bad?
    A secret mount exists so that the secret never reaches a layer; a copy made during the
    step is saved in the layer like any other file, and ships with the image.
    Factor III (config): secrets belong to the deploy environment, not to the image.

    ## Example
    ```dockerfile
    FROM node:22-slim
    RUN --mount=type=secret,id=npmrc cp /run/secrets/npmrc /root/.npmrc && npm ci
    ```

    Use instead:
    ```dockerfile
    FROM node:22-slim
    RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci
    ```

    ## References
    - [Build secrets](https://docs.docker.com/build/building/secrets/)
    """

    code = "SH105"
    name = "secret-mount-persisted"
    severity = "warning"
    factors = ("III",)

    def check_script(self, ctx, run) -> Iterator[Finding]:
        secrets = [m for m in mounts(run.instruction) if m.type == "secret"]
        if not secrets:
            return
        paths = [m.target or f"/run/secrets/{m.options.get('id', '')}" for m in secrets]
        variables = [m.options["env"] for m in secrets if m.options.get("env")]
        commands = run.commands
        for index, command in enumerate(commands):
            for target in _secret_writes(commands, index, paths, variables):
                if target.startswith(_HARMLESS_TARGETS) or caches_path(run.instruction, target) \
                        or _removed_later(commands[index + 1:], target):
                    continue
                yield Finding(run.command_span(command), f"{command.name} writes the mounted secret to {target}, "
                                                         "which is saved in the layer",
                              hint="mount the secret where the tool reads it (target=…, env=…) instead of copying it",
                              subject=target)

    def verify(self, finding: Finding, image):
        if not finding.subject or not finding.subject.startswith("/"):
            return not_checkable("the file the secret is written to depends on the working directory")
        return files_left_verdict(image, finding, (finding.subject,), "the copied secret")


def _mentions(text: str, paths: list[str], variables: list[str]) -> bool:
    return any(path and path in text for path in paths) or any(
        f"${name}" in text or f"${{{name}}}" in text for name in variables)


def _secret_writes(commands: tuple[Command, ...], index: int, paths: list[str], variables: list[str]) -> Iterator[str]:
    """Files the command at ``index`` writes the secret to."""
    command = commands[index]
    text = " ".join(word.raw for word in command.argv)
    if command.name in _COPIERS and len(command.argv) >= 3:
        sources = [word for word in command.argv[1:-1] if not word.value.startswith("-")]
        if any(_mentions(word.value, paths, []) for word in sources):
            yield command.argv[-1].value
    writes = [r.target.value for r in command.redirects if r.op in (">", ">>", ">|", "&>", "&>>")]
    if writes and _mentions(text, paths, variables):
        yield from writes
    if command.name == "tee" and command.pipe_position > 0 and _pipeline_mentions(commands, index, paths, variables):
        yield from (word.value for word in command.argv[1:] if not word.value.startswith("-"))


def _pipeline_mentions(commands: tuple[Command, ...], index: int, paths: list[str], variables: list[str]) -> bool:
    """An earlier member of the pipeline of ``commands[index]`` names the secret."""
    for earlier in reversed(commands[:index]):
        if earlier.pipe_position >= commands[index].pipe_position:
            continue
        text = " ".join(word.raw for word in earlier.argv) + " ".join(r.target.raw for r in earlier.redirects)
        if _mentions(text, paths, variables):
            return True
        if earlier.pipe_position == 0:
            return False
    return False


def _removed_later(commands: tuple[Command, ...], target: str) -> bool:
    for command in commands:
        if command.name in ("rm", "shred", "unlink"):
            for word in command.argv[1:]:
                removed = word.value.rstrip("/")
                if removed and (target == removed or target.startswith(removed + "/")):
                    return True
    return False
