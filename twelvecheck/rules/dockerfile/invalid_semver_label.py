from __future__ import annotations

from twelvecheck.rules.dockerfile._labels import TypedLabelRule, is_semver


class InvalidSemverLabel(TypedLabelRule):
    """A schema label of type `semver` that is not a semantic version.

    ## What it does
    Active only when `label_schema` types a label as `semver`: flags a value of that label that
    is not a Semantic Versioning 2.0 version (`1.4.0`, `2.0.0-rc.1+build.5`). Values that use a variable without a known value are not judged.

    ## Why is this bad?
    Tools that read the label parse it as a semantic version; a malformed value breaks them or is
    silently dropped.

    ## Example
    ```dockerfile
    FROM alpine:3.20
    LABEL org.opencontainers.image.version="v1.4"
    ```

    Use instead:
    ```dockerfile
    FROM alpine:3.20
    LABEL org.opencontainers.image.version="1.4.0"
    ```

    ## Options
    - `label_schema`. The examples assume `{org.opencontainers.image.version: semver}`.

    ## References
    - [hadolint DL3056](https://github.com/hadolint/hadolint/wiki/DL3056)
    """

    code = "DF028"
    name = "invalid-semver-label"
    severity = "warning"
    aliases = {"hadolint": ("DL3056",)}
    label_type = "semver"
    expected = "a semantic version"
    example_config = {"label_schema": {"org.opencontainers.image.version": "semver"}}

    def valid(self, value: str) -> bool:
        return is_semver(value)
