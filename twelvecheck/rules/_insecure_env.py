"""Environment variables that switch TLS certificate verification off, with the values that do.

Shared by the Dockerfile rule (``ENV``, ``ARG``, ``VAR=x cmd`` and ``export`` in RUN) and the
compose rules (``environment:``), so both read the same table.
"""

from __future__ import annotations

_FALSE = frozenset({"0", "false", "no", "off"})


def _any_value(value: str) -> bool:
    return value != ""


# name -> (does this value disable verification?, what it disables)
_SETTINGS = {
    "NODE_TLS_REJECT_UNAUTHORIZED": (lambda v: v == "0", "Node.js TLS certificate checks"),
    "PYTHONHTTPSVERIFY": (lambda v: v == "0", "Python's HTTPS certificate checks"),
    "GIT_SSL_NO_VERIFY": (_any_value, "git's TLS certificate checks"),  # git: any value
    "NPM_CONFIG_STRICT_SSL": (lambda v: v.lower() in _FALSE, "npm's TLS certificate checks"),
    "PIP_TRUSTED_HOST": (_any_value, "pip's TLS certificate checks for the named hosts"),
    "YARN_ENABLE_STRICT_SSL": (lambda v: v.lower() in _FALSE, "yarn's TLS certificate checks"),
    "CURL_INSECURE": (lambda v: v.lower() not in _FALSE | {""}, "curl's TLS certificate checks"),
    "GONOSUMDB": (lambda v: v in ("*", ","), "Go's checksum database for every module"),
    "GOINSECURE": (_any_value, "Go's TLS checks for the named modules"),
}


def tls_disabling(name: str, value: str) -> str | None:
    """What ``name=value`` switches off, or None. Names are case-insensitive for npm (which
    reads ``npm_config_*`` in any case), exact otherwise."""
    key = name.upper() if name.lower().startswith("npm_config_") else name
    entry = _SETTINGS.get(key)
    if entry is None:
        return None
    disables, what = entry
    return what if disables(value.strip().strip("\"'")) else None
