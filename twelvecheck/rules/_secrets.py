"""What looks like a secret: by variable name, by value, and by file path.

Shared by the Dockerfile rules (``ARG``/``ENV``, ``COPY``) and the compose rules
(``environment:``, ``build.args``), so both families judge secrets the same way.

* ``secret_name(name)``: BuildKit's ``SecretsUsedInArgOrEnv`` test, to the letter: a name whose
  first or last ``_``-separated word (or the whole name) is one of ``apikey``, ``auth``,
  ``credential(s)``, ``key``, ``password``, ``pword``, ``passwd``, ``secret``, ``token``, unless
  such a word is ``public``, ``file`` or ``version`` (``GITHUB_TOKEN`` yes, ``PUBLIC_KEY`` and
  ``SECRET_FILE`` no). Case-insensitive.
* ``harmless_value(name, value)``: values that cannot be a secret whatever the name says (a file
  path, a reference to another variable, a digest, a GPG fingerprint under a GPG name).
* ``secret_in_value(value)``: a ``ValueSecret`` describing the first credential found in a value
  (a known key format, credentials inside a URL, or a long high-entropy token), or None.
  Placeholders (``changeme``, ``<password>``, ``${VAR}``, ``xxxx``), paths, URLs without
  credentials and hex checksums never count.
* ``secret_reason(name, value)``: why a literal ``name=value`` setting (compose ``environment:``,
  env files) is a clear-text secret, or None: a credential-shaped value, or a name whose words
  say secret (``setting_secret_name``) with a literal that is not an obvious placeholder.
* ``secret_path(path)``: the reason a copied path is likely secret (``.env``, ``*.pem``,
  ``id_rsa``, ``.npmrc``, ``.aws/`` ...), or None.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from twelvecheck.lazy_re import lazy_compile

# BuildKit frontend/dockerfile/dockerfile2llb/validations.go (getSecretsRegex).
_SECRET_WORDS = ("apikey", "auth", "credential", "credentials", "key", "password", "pword",
                 "passwd", "secret", "token")
_ALLOWED_WORDS = ("public", "file", "version")
_SECRET_NAME = lazy_compile(r"(?i)(?:_|^)(?:" + "|".join(_SECRET_WORDS) + r")(?:_|$)")
_ALLOWED_NAME = lazy_compile(r"(?i)(?:_|^)(?:" + "|".join(_ALLOWED_WORDS) + r")(?:_|$)")

# Known credential formats: (description, pattern). Anchored on word boundaries so that a
# prefix inside a longer identifier does not count.
_KNOWN_FORMATS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (description, re.compile(pattern)) for description, pattern in (
        ("a private key", r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----"),
        ("an AWS access key id", r"(?<![A-Z0-9])(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[A-Z0-9]{16}(?![A-Z0-9])"),
        ("a GitHub token", r"(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36,255}(?![A-Za-z0-9])"),
        ("a GitHub fine-grained token", r"(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{60,255}"),
        ("a GitLab token", r"(?<![A-Za-z0-9_])glpat-[A-Za-z0-9_-]{20,}"),
        ("a Slack token", r"(?<![A-Za-z0-9])xox[abposr]-[A-Za-z0-9-]{10,}"),
        ("a Stripe secret key", r"(?<![A-Za-z0-9])[sr]k_live_[A-Za-z0-9]{16,}"),
        ("a Google API key", r"(?<![A-Za-z0-9_-])AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])"),
        ("an npm token", r"(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])"),
        ("a PyPI token", r"(?<![A-Za-z0-9_])pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}"),
        ("a SendGrid key", r"(?<![A-Za-z0-9])SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}"),
        ("a JSON Web Token", r"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}"),
    )
)

# scheme://user:password@host — the password part is group 'password'.
_URL_CREDENTIALS = lazy_compile(r"(?i)\b[a-z][a-z0-9+.-]*://(?P<user>[^\s:/@]*):(?P<password>[^\s/@]+)@[^\s/@]")

# Words people put where a real secret would go; compared after lower-casing and stripping
# punctuation, and as a prefix ('changeme123' and 'password1' are still placeholders).
_PLACEHOLDERS = ("changeme", "change_me", "changeit", "password", "passwd", "pass", "secret",
                 "example", "sample", "dummy", "placeholder", "redacted", "default", "test",
                 "fake", "your", "my", "xxx", "todo", "none", "null", "empty", "insecure",
                 "foo", "bar", "admin", "root", "user", "guest", "demo", "notasecret")
_PLACEHOLDER_SHAPES = lazy_compile(r"^(?:[<\[{(].*[>\]})]|(.)\1{3,}|\*+|\.+|-+|_+)$")
_VARIABLE_REFERENCE = lazy_compile(r"^\$(?:\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*)$")
_HEX = lazy_compile(r"^(?:0x)?[0-9a-fA-F]+$")
_DIGEST = lazy_compile(r"^(?:sha(?:1|224|256|384|512)|md5|blake2b?|b3)[:-][0-9a-fA-F+/=]+$", re.IGNORECASE)
_FINGERPRINT = lazy_compile(r"^(?:0x)?(?:[0-9A-Fa-f]{4}\s*){4,10}$")  # GPG key ids and fingerprints
_TOKEN_CHARS = lazy_compile(r"^[A-Za-z0-9+/=_.~-]+$")

ENTROPY_MIN_LENGTH = 24  # shorter random-looking strings are too often ids, versions or hashes
ENTROPY_BITS_PER_CHAR = 4.2  # random base64/base62 of 24+ chars scores 4.3-5.5; most identifiers less
# Share of neighbouring characters of different classes (lower, upper, digit, other): 99% of
# random base62/base64 tokens score at least 0.4, CamelCase identifiers 0.25-0.38.
CLASS_SWITCH_RATIO = 0.4


def secret_name(name: str) -> bool:
    """BuildKit's SecretsUsedInArgOrEnv test on an ARG/ENV (or compose environment) name."""
    return bool(_SECRET_NAME.search(name)) and not _ALLOWED_NAME.search(name)


def _is_path(value: str) -> bool:
    return value.startswith(("/", "./", "../", "~/")) or bool(re.match(r"^[A-Za-z]:[\\/]", value))


def is_placeholder(value: str) -> bool:
    """Obviously not a real secret: empty, a variable reference, a placeholder word or shape."""
    text = value.strip().strip("\"'")
    if not text or _VARIABLE_REFERENCE.match(text) or _PLACEHOLDER_SHAPES.match(text):
        return True
    if "${" in text or text.startswith("$"):
        return True
    lowered = re.sub(r"[^a-z0-9]", "", text.lower())
    return any(lowered.startswith(word.replace("_", "")) for word in _PLACEHOLDERS)


def harmless_value(name: str, value: str) -> bool:
    """A value that is no secret whatever its name says: a path, a variable reference, a digest,
    or a key fingerprint under a GPG/PGP name (``GPG_KEY=7169605F...``)."""
    text = value.strip()
    if _is_path(text) or _VARIABLE_REFERENCE.match(text) or _DIGEST.match(text):
        return True
    gpg = re.search(r"(?i)(?:^|_)(?:gpg|pgp)(?:_|$)", name)
    return bool(gpg and all(_FINGERPRINT.match(part) for part in text.split()))


@dataclass(frozen=True, slots=True)
class ValueSecret:
    """A credential found in a value: what it looks like, and where in the value it sits."""

    description: str
    start: int
    end: int


def shannon_entropy(text: str) -> float:
    """Bits per character of ``text`` (0 for an empty string)."""
    if not text:
        return 0.0
    counts = Counter(text)
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


def high_entropy_token(text: str) -> bool:
    """A long random-looking token: base64/base62 alphabet, both letter cases and a digit,
    entropy above the threshold. Hex strings are excluded (they are checksums and digests far
    more often than secrets), so are paths, URLs and dotted versions/hosts."""
    if len(text) < ENTROPY_MIN_LENGTH or not _TOKEN_CHARS.match(text) or _HEX.match(text):
        return False
    if _is_path(text) or text.count(".") >= 2:  # dotted names, hosts and versions
        return False
    if not (re.search(r"[a-z]", text) and re.search(r"[A-Z]", text) and re.search(r"\d", text)):
        return False
    return shannon_entropy(text) >= ENTROPY_BITS_PER_CHAR and _class_switch_ratio(text) >= CLASS_SWITCH_RATIO


def _class_switch_ratio(text: str) -> float:
    def kind(char: str) -> str:
        return "l" if char.islower() else "u" if char.isupper() else "d" if char.isdigit() else "o"
    kinds = [kind(char) for char in text]
    return sum(a != b for a, b in zip(kinds, kinds[1:])) / max(1, len(kinds) - 1)


def secret_in_value(value: str) -> ValueSecret | None:
    """The first credential in ``value``, or None. Placeholders never count."""
    for description, pattern in _KNOWN_FORMATS:
        match = pattern.search(value)
        if match is not None:
            return ValueSecret(description, match.start(), match.end())
    for match in _URL_CREDENTIALS.finditer(value):
        password = match.group("password")
        if not is_placeholder(password) and "$" not in password:
            return ValueSecret("a password inside a URL", match.start("password"), match.end("password"))
    text = value.strip()
    if high_entropy_token(text) and not is_placeholder(text):
        start = value.index(text)
        return ValueSecret("a high-entropy token", start, start + len(text))
    return None


# Paths whose presence in an image leaks credentials. Matched on the path's last components.
_SECRET_FILE_NAMES = {
    ".env": "an environment file", ".npmrc": "an npm config (registry tokens)",
    ".pypirc": "a PyPI config (upload credentials)", ".netrc": "a netrc (passwords)",
    ".git-credentials": "git credentials", ".htpasswd": "a password file",
    "id_rsa": "an SSH private key", "id_dsa": "an SSH private key",
    "id_ecdsa": "an SSH private key", "id_ed25519": "an SSH private key",
    ".dockercfg": "Docker registry credentials", "credentials.json": "a credentials file",
    "secrets.yml": "a secrets file", "secrets.yaml": "a secrets file", "secrets.json": "a secrets file",
    "terraform.tfvars": "Terraform variables (often credentials)",
}
_SECRET_SUFFIXES = {".pem": "a PEM key or certificate bundle", ".key": "a private key",
                    ".p12": "a PKCS#12 key store", ".pfx": "a PKCS#12 key store",
                    ".jks": "a Java key store", ".keystore": "a key store",
                    ".ppk": "a PuTTY private key", ".kdbx": "a password database"}
_SECRET_DIRECTORIES = {".ssh": "an SSH directory", ".aws": "AWS credentials", ".gnupg": "a GnuPG keyring",
                       ".kube": "a kubeconfig", ".docker": "Docker registry credentials"}
# Shapes that look secret but are public by convention.
_PUBLIC = lazy_compile(r"(?i)(?:\.pub$|\.asc$|pub(?:lic)?[-_.]?key|gpg|pgp|(?:^|[/._-])(?:public|ca|cacert|ca-bundle|"
                     r"ca-certificates|chain|fullchain|cert|crt)(?:[._-][^/]*)?\.pem$"
                     r"|\.env\.(?:example|sample|template|dist|defaults?)$)")


def secret_path(path: str) -> str | None:
    """Why a source path of COPY/ADD is likely a secret, or None. ``.env.example``, public
    keys (``*.pub``, ``ca.pem``) and GPG/PGP keys (``repo.gpg.key``: signing keys published
    for verification) are not secrets; ``.docker/`` only counts for its
    ``config.json``."""
    cleaned = path.replace("\\", "/").rstrip("/")
    if not cleaned or _PUBLIC.search(cleaned):
        return None
    parts = [part for part in cleaned.split("/") if part not in ("", ".")]
    if not parts:
        return None
    name = parts[-1]
    if name in _SECRET_FILE_NAMES:
        return _SECRET_FILE_NAMES[name]
    if name.startswith(".env.") and not name.endswith((".example", ".sample", ".template", ".dist")):
        return "an environment file"
    if parts[-2:] == [".docker", "config.json"]:
        return "Docker registry credentials"
    for suffix, why in _SECRET_SUFFIXES.items():
        if name.endswith(suffix) and name != suffix:
            return why
    for part in parts:
        if part == ".docker" and name not in (".docker", "config.json"):
            return None  # other files under .docker/ hold no credentials
        if part in _SECRET_DIRECTORIES:
            return _SECRET_DIRECTORIES[part]
    return None


_PEM_BLOCK = lazy_compile(r"-----BEGIN ([A-Z0-9 ]+)-----")
_KEY_NAMES = ("id_rsa", "id_dsa", "id_ecdsa", "id_ed25519")


# Tool configuration files that hold settings more often than credentials: the credential
# lines each tool reads (a value, not a ``${VAR}`` the tool expands at run time).
_CREDENTIAL_LINES = {
    ".npmrc": lazy_compile(r"(?im)^\s*(?:\S*:)?_(?:auth|authToken|password)\s*=\s*(?!\$\{)\S"),
    ".pypirc": lazy_compile(r"(?im)^\s*password\s*[=:]\s*(?!\$\{|%\()\S"),
    ".netrc": lazy_compile(r"(?i)\bpassword\s+\S"),
}


def secret_file(path: str, content: str | None) -> str | None:
    """``secret_path`` refined by the file's text when the build context holds it: a PEM file
    is a secret only with a private key inside (certificates, public keys and DH parameters are
    public, whatever the file is called), and a private key is one under any name; an
    ``.npmrc``, ``.pypirc`` or ``.netrc`` is one only with a credential line
    (``engine-strict=true`` or ``_authToken=${NPM_TOKEN}`` leak nothing)."""
    blocks = set(_PEM_BLOCK.findall(content)) if content else set()
    if any("PRIVATE KEY" in block for block in blocks):
        return "a private key"
    why = secret_path(path)
    if why and blocks and path.rsplit(".", 1)[-1].lower() in ("pem", "key", "crt", "cer"):
        return None  # only public blocks in it
    credentials = _CREDENTIAL_LINES.get(path.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1])
    if why and credentials is not None and content is not None and not credentials.search(content):
        return None
    return why


def private_key_destination(path: str) -> bool:
    """A destination only a private key is copied to (``~/.ssh/id_rsa``, ``*.key``)."""
    name = path.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    if _PUBLIC.search(name):
        return False
    return name in _KEY_NAMES or name.endswith((".key", ".ppk")) and name not in (".key", ".ppk")


# Settings (compose ``environment:``, env files) are judged on the words of their name: the name
# splits into hierarchy segments (``__``, ``.``, ``:`` as .NET and Gitea write them) and words
# (``_``, ``-``, camelCase). A secret word anywhere counts (``DB_PASSWORD``, ``GITHUB_TOKEN``);
# ``key`` counts after a qualifier that is not a data-structure word (``API_KEY``, ``APP_KEY``, not
# ``SORT_KEY`` nor ``Filters__0__Key``); ``auth`` counts as the last word unless the value is a
# mode (``LDAP_AUTH=simple``); trailing words naming where or how a secret is used (``_FILE``,
# ``_URL``, ``_METHOD``) say the value is not the secret itself.
_SECRET_SETTING_WORDS = frozenset({"password", "passwd", "pword", "pwd", "passphrase", "secret",
                                   "token", "apikey", "credential", "credentials", "salt",
                                   "privatekey", "accesskey", "secretkey"})
_NOT_SECRET_KEY_QUALIFIERS = frozenset({"sort", "partition", "cache", "primary", "foreign", "routing",
                                        "idempotency", "object", "lookup", "map", "hash", "public",
                                        "pub", "unique", "composite", "index", "group", "dedup",
                                        "message", "event", "s3", "redis", "storage", "bucket", "hot"})
_SETTING_NOT_SECRET_NAME = lazy_compile(
    r"(_FILE|_PATH|_DIR|_URL_FILE|_LENGTH|_MIN|_MAX|_POLICY|_EXPIRY|_TTL|_ENABLED|_REQUIRED|_HEADER"
    r"|_ALGORITHM|_TYPE|_USER(NAME)?|_ID|_NAME|_ARN|_REF|_METHOD|_MODE|_PROVIDER|_BACKEND|_URL|_URI"
    r"|_ENDPOINT|_HOST|_PORT|_PREFIX|_ROUNDS|_TIMEOUT|_LIFETIME|_SCOPES?)$|^(ALLOW|NO|SKIP)_", re.IGNORECASE)
_SEGMENTS = lazy_compile(r"__|[.:]")
_WORDS = lazy_compile(r"[_\-\s]+|(?<=[a-z0-9])(?=[A-Z])")
_MODE_VALUE = lazy_compile(r"^[a-z][a-z0-9-]{0,15}$")  # trust, md5, scram-sha-256, ldap, basic, oidc
# A value naming a file that holds the secret (``KAFKA_SSL_KEY_CREDENTIALS=kafka_keystore_creds``).
_FILE_LIKE = lazy_compile(r"^[\w./-]*(\.(txt|jks|p12|pem|key|crt|json|ya?ml|conf|creds?)|_creds?)$", re.IGNORECASE)
_NOT_A_VALUE = frozenset({"", "true", "false", "yes", "no", "none", "null", "0", "1", "on", "off"})
# Text put where a secret goes until someone sets it: not a leaked secret (real weak defaults
# such as ``postgres`` or ``admin`` do get deployed as written, so they still count).
_OBVIOUS_PLACEHOLDER = lazy_compile(
    r"^(change|replace|fill|insert|enter|put|set|update)(me|it|this|your|yours|the|here)"
    r"|^(placeholder|redacted|example|sample|dummy|fake|notasecret|todo|tbd|your)", re.IGNORECASE)


def name_words(name: str) -> list[list[str]]:
    """The lower-cased words of each hierarchy segment of a setting name."""
    return [[word.lower() for word in _WORDS.split(segment) if word]
            for segment in _SEGMENTS.split(name) if segment]


def setting_secret_name(name: str, value: str = "") -> bool:
    """The name of a compose/env setting says its value is a secret (see above)."""
    if _SETTING_NOT_SECRET_NAME.search(name):
        return False
    for words in name_words(name):
        for index, word in enumerate(words):
            if word in _SECRET_SETTING_WORDS or word == "pass" and index == len(words) - 1:
                return True
            if word in ("key", "keys") and index and words[index - 1] not in _NOT_SECRET_KEY_QUALIFIERS:
                return True
        if words[-1:] == ["auth"] and not _MODE_VALUE.match(value.strip()):
            return True
    return name_words(name) == [["key"]]


def obvious_placeholder(value: str) -> bool:
    """``change-me``, ``<secret>``, ``xxxx``, ``your-token-here``: a slot, not a secret."""
    text = value.strip().strip("\"'")
    lowered = re.sub(r"[^a-z0-9]", "", text.lower())
    return bool(_PLACEHOLDER_SHAPES.match(text) or _OBVIOUS_PLACEHOLDER.match(lowered))


def secret_reason(name: str, value: str | None) -> str | None:
    """Why the literal setting ``name=value`` is a clear-text secret, or None.

    A literal under a secret name counts even when weak (``postgres``): a password written into
    a compose or env file is configuration in the code (factor III). An obvious placeholder
    (``change-me``, ``<secret>``) is not: it leaks nothing, and the deploy must replace it.
    """
    if value is None or "$" in value:
        return None
    found = secret_in_value(value)
    if found is not None:
        return f"its value is {found.description}"
    text = value.strip()
    if setting_secret_name(name, text) and text.lower() not in _NOT_A_VALUE \
            and not harmless_value(name, text) and not _FILE_LIKE.match(text) and not obvious_placeholder(text):
        return "its name says it is a secret and its value is written out"
    return None
