from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules._verify import config_evidence, confirmed, refuted
from twelvecheck.parse.model import Instruction, Span
from twelvecheck.rules._secrets import harmless_value, secret_in_value, secret_name, secret_reason, setting_secret_name
from twelvecheck.rules.base import InstructionRule
from twelvecheck.rules.context import arg_pairs, env_pairs


class SecretInArgOrEnv(InstructionRule):
    """An `ARG` or `ENV` holds a secret, by its name or by its value.

    ## What it does
    By name, BuildKit's `SecretsUsedInArgOrEnv` test exactly: the name's first or last
    `_`-separated word (or the whole name) is `apikey`, `auth`, `credential(s)`, `key`,
    `password`, `pword`, `passwd`, `secret` or `token`, and no such word is `public`, `file`
    or `version` (`GITHUB_TOKEN`, `DB_PASSWORD`, `API_KEY`; not `PUBLIC_KEY`, `SECRET_FILE`).
    Unlike BuildKit, a name is not reported when its value cannot be a secret: an `ENV` set to
    an empty string, a file path (`SSL_KEY=/etc/ssl/app.key`), a digest, or a key fingerprint
    under a GPG name (`GPG_KEY=7169605F…`, as in the official Python images); nor when a
    literal value is judged as compose settings are, on the words of the name: a data-structure
    key (`Filters__0__Key=ProcessId`, `SORT_KEY=created_at`), a mode (`LDAP_AUTH=simple`), a
    flag (`AUTH_ENABLED=true`) or, for an `ENV`, an obvious placeholder (`SECRET_KEY=change-me`);
    an `ARG`'s default is only a fallback for `--build-arg`, so a placeholder there does not
    clear a secret name.

    By value, whatever the name: a known credential format (AWS access key id, GitHub, GitLab,
    Slack, Stripe, npm and PyPI tokens, Google API keys, JSON Web Tokens, private key
    headers), a password inside a URL (`postgres://app:s3cret@db/app`), or a long random-looking
    token (24+ characters from the base64 alphabet, both letter cases and digits, at least 4.2
    bits of entropy per character). Placeholders (`changeme`, `<password>`, `${DB_PASSWORD}`,
    `xxxx`), paths, hex checksums and URLs without a password never count.

    ## Why is this bad?
    `ARG` and `ENV` values are stored in the image configuration and history: anyone who can
    pull the image can read them. Build secrets belong in `RUN --mount=type=secret`, run-time
    secrets in the orchestrator's secret store.
    Factor III (config): secrets belong to the deploy environment, not to the image.

    ## Example
    ```dockerfile
    FROM alpine:3.20
    ARG GITHUB_TOKEN
    ENV DATABASE_URL=postgres://app:Xk29fjq7Lm@db:5432/app
    ```

    Use instead:
    ```dockerfile
    FROM alpine:3.20
    RUN --mount=type=secret,id=github_token,env=GITHUB_TOKEN ./fetch-deps.sh
    ENV DATABASE_URL=postgres://app@db:5432/app
    ```

    ## References
    - [hadolint DL3064](https://github.com/hadolint/hadolint/wiki/DL3064)
    - [BuildKit SecretsUsedInArgOrEnv](https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/)
    - [Build secrets](https://docs.docker.com/build/building/secrets/)
    """

    code = "DF103"
    name = "secret-in-arg-or-env"
    severity = "warning"
    factors = ("III",)
    aliases = {"hadolint": ("DL3064",), "buildkit": ("SecretsUsedInArgOrEnv",)}
    keywords = frozenset({"ARG", "ENV"})

    def check_instruction(self, ctx, instruction: Instruction) -> Iterator[Finding]:
        is_arg = instruction.keyword == "ARG"
        pairs = arg_pairs(instruction) if is_arg else env_pairs(instruction)
        for name, raw in pairs:
            value = raw if is_arg else _unquoted(raw)
            span = _span_of(ctx, instruction, name)
            found = secret_in_value(value) if value else None
            if found is not None:
                yield Finding(span, f"{instruction.keyword} {name} holds {found.description}",
                              hint="pass it with RUN --mount=type=secret at build time, or inject it at run time",
                              subject=name)
            elif secret_name(name) and not _harmless(is_arg, name, value) and not _words_say_otherwise(is_arg, name, value):
                yield Finding(span, f"{instruction.keyword} {name}: the name says it holds a secret, "
                                    "which stays readable in the image history",
                              hint="use RUN --mount=type=secret,id=…,env=" + name + " for build secrets",
                              subject=name)

    def verify(self, finding: Finding, image):
        """The value in the config's Env, or in the history's text; the value itself is never shown."""
        name = finding.subject
        value = image.config.config.env_map().get(name or "")
        if value:
            return confirmed(config_evidence(image, f"the image config's Env sets {name} ({len(value)} characters)",
                                             "Env", f"{name}=<redacted>", finding.span.line))
        for step in image.steps:
            if f"{name}=" in step.created_by and f"{name}= " not in step.created_by + " ":
                return confirmed(config_evidence(image, f"the image history records {name}= in {step.created_by[:40]!r}…",
                                                 "history", f"{name}=<redacted>", step.line, step.base))
        return refuted(config_evidence(image, f"neither the config's Env nor the history holds a value of {name}",
                                       "Env", None, finding.span.line))


def _unquoted(value: str) -> str:
    return value[1:-1] if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'" else value


def _words_say_otherwise(is_arg: bool, name: str, value: str | None) -> bool:
    """A literal the words of the name show is no secret (``Filters__0__Key=ProcessId``,
    ``LDAP_AUTH=simple``). An ARG's default is only a fallback (``ARG AWS_SECRET_ACCESS_KEY=fake``
    still takes the real one with --build-arg): its value does not clear it, its name may."""
    if not value:
        return False
    if is_arg:
        return not setting_secret_name(name, value)
    return secret_reason(name, value) is None


def _harmless(is_arg: bool, name: str, value: str | None) -> bool:
    if value is None:
        return False  # ARG NAME: the secret arrives with --build-arg
    if value == "":
        return not is_arg  # ENV NAME="" stores nothing; ARG NAME= still takes --build-arg
    return harmless_value(name, value)


def _span_of(ctx, instruction: Instruction, name: str) -> Span:
    for word, span in ctx.argument_words(instruction):
        if word == name or word.startswith(name + "="):
            return span
    return instruction.span
