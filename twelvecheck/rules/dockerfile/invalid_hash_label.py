from __future__ import annotations

from twelvecheck.rules.dockerfile._labels import TypedLabelRule, is_git_hash


class InvalidHashLabel(TypedLabelRule):
    """A schema label of type `hash` that is not a git commit hash.

    ## What it does
    Active only when `label_schema` types a label as `hash`: flags a value of that label that
    is not lower-case hex: a full SHA-1 (40) or SHA-256 (64) object name, or an abbreviation of at least 7 digits. Values that use a variable without a known value are not judged.

    ## Why is this bad?
    Tools that read the label parse it as a git commit hash; a malformed value breaks them or is
    silently dropped.

    ## Example
    ```dockerfile
    FROM alpine:3.20
    LABEL org.opencontainers.image.revision="main"
    ```

    Use instead:
    ```dockerfile
    FROM alpine:3.20
    LABEL org.opencontainers.image.revision="3f2a9c1e4b5d6f708192a3b4c5d6e7f809a1b2c3"
    ```

    ## Options
    - `label_schema`. The examples assume `{org.opencontainers.image.revision: hash}`.

    ## References
    - [hadolint DL3055](https://github.com/hadolint/hadolint/wiki/DL3055)
    """

    code = "DF027"
    name = "invalid-hash-label"
    severity = "warning"
    aliases = {"hadolint": ("DL3055",)}
    label_type = "hash"
    expected = "a git commit hash"
    example_config = {"label_schema": {"org.opencontainers.image.revision": "hash"}}

    def valid(self, value: str) -> bool:
        return is_git_hash(value)
