"""Is this configuration value a secret written in clear? Shared by compose and env-file rules.

A value counts when its *name* says secret (``DB_PASSWORD``) and the value is a literal, or when
the *value* itself has a credential's shape (a cloud key, a private key, ``user:pass@`` in a URL)
whatever the name.  References (``${X}``), secret file paths and obvious empties are not secrets.
"""

from __future__ import annotations

import re

SECRET_NAME = re.compile(
    r"(PASS(WORD|WD)?|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?|AUTH_?KEY|CLIENT_?SECRET|SIGNING_?KEY|ENCRYPTION_?KEY|SALT)(_|$)",
    re.IGNORECASE,
)
NOT_SECRET_NAME = re.compile(r"(_FILE|_PATH|_DIR|_URL_FILE|_LENGTH|_MIN|_MAX|_POLICY|_EXPIRY|_TTL|_ENABLED|_REQUIRED|_HEADER|_ALGORITHM|_TYPE|_USER(NAME)?|_ID)$|^(ALLOW|NO|SKIP)_",
                             re.IGNORECASE)
SECRET_VALUES = (
    ("an AWS access key", re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("a private key", re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")),
    ("a GitHub token", re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b")),
    ("a GitLab token", re.compile(r"\bglpat-[A-Za-z0-9_-]{20,}\b")),
    ("a Slack token", re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}\b")),
    ("a Stripe live key", re.compile(r"\b[sr]k_live_[A-Za-z0-9]{16,}\b")),
)
URL_CREDENTIALS = re.compile(r"\b[a-z][a-z0-9+.-]*://([^:/@\s]+):([^@\s/]+)@[^\s/]", re.IGNORECASE)
FILE_LIKE = re.compile(r"^[\w./-]*(\.(txt|jks|p12|pem|key|crt|json|ya?ml|conf|creds?)|_creds?)$", re.IGNORECASE)
HARMLESS_VALUES = frozenset({"", "true", "false", "yes", "no", "none", "null", "0", "1", "on", "off"})


def secret_reason(name: str, value: str | None) -> str | None:
    """Why ``name=value`` is a clear-text secret, or None.  ``value`` is the literal text."""
    if value is None or "$" in value:
        return None
    for what, pattern in SECRET_VALUES:
        if pattern.search(value):
            return f"its value is {what}"
    credentials = URL_CREDENTIALS.search(value)
    if credentials and not credentials.group(2).startswith(("$", "{", "<", "%")):
        return "its URL carries a password"
    if SECRET_NAME.search(name) and not NOT_SECRET_NAME.search(name):
        if value.strip().lower() not in HARMLESS_VALUES and not value.startswith("/") and not FILE_LIKE.match(value.strip()):
            return "its name says it is a secret and its value is written out"
    return None
