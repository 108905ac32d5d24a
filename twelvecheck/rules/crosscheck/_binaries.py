"""Which package installs a program, and which base images already ship it.

Small on purpose: the programs applications most often shell out to, with their Debian/Ubuntu
and Alpine package names (RPM distributions mostly share the Debian name). A program missing
from the table is looked for as a package of its own name.
"""

from __future__ import annotations

# program -> packages that provide it (Debian names first, then Alpine's where they differ)
PACKAGES: dict[str, frozenset[str]] = {name: frozenset(packages) for name, packages in {
    "convert": ("imagemagick", "imagemagick-6.q16", "graphicsmagick-imagemagick-compat"),
    "magick": ("imagemagick",),
    "identify": ("imagemagick", "imagemagick-6.q16"),
    "ffmpeg": ("ffmpeg",), "ffprobe": ("ffmpeg",),
    "git": ("git",),
    "curl": ("curl",), "wget": ("wget",),
    "pdftotext": ("poppler-utils",), "pdftoppm": ("poppler-utils",),
    "gs": ("ghostscript",),
    "tesseract": ("tesseract-ocr", "tesseract-ocr-data-eng"),
    "libreoffice": ("libreoffice", "libreoffice-core"), "soffice": ("libreoffice", "libreoffice-core"),
    "wkhtmltopdf": ("wkhtmltopdf",),
    "pg_dump": ("postgresql-client", "postgresql15-client", "postgresql16-client"),
    "psql": ("postgresql-client", "postgresql15-client", "postgresql16-client"),
    "mysqldump": ("default-mysql-client", "mariadb-client", "mysql-client"),
    "mysql": ("default-mysql-client", "mariadb-client", "mysql-client"),
    "redis-cli": ("redis-tools", "redis"),
    "zip": ("zip",), "unzip": ("unzip",), "tar": ("tar",), "gzip": ("gzip",),
    "ssh": ("openssh-client",), "rsync": ("rsync",),
    "gpg": ("gnupg", "gpg"), "openssl": ("openssl",),
    "exiftool": ("libimage-exiftool-perl", "exiftool"),
    "pandoc": ("pandoc",), "jq": ("jq",),
    "node": ("nodejs",), "python3": ("python3",), "java": ("default-jre-headless", "openjdk17-jre-headless"),
    "chromium": ("chromium",), "google-chrome": ("google-chrome-stable",),
}.items()}

# Programs every image of a distribution family has (its shell and core utilities).
_DEBIAN_BASE = frozenset({"sh", "bash", "tar", "gzip", "ls", "cat", "mkdir", "rm", "cp", "mv", "echo"})
_ALPINE_BASE = frozenset({"sh", "tar", "gzip", "wget", "ls", "cat", "mkdir", "rm", "cp", "mv", "echo"})
# The full (not -slim, not -alpine) language images are built on buildpack-deps, which ships
# version control and download tools.
_BUILDPACK_DEPS = _DEBIAN_BASE | {"git", "curl", "wget", "ssh", "gpg", "openssl", "unzip", "zip", "convert", "identify"}
_RUNTIMES = {"python": {"python", "python3", "pip"}, "node": {"node", "npm", "npx"}, "ruby": {"ruby", "gem"},
             "golang": {"go"}, "openjdk": {"java"}, "eclipse-temurin": {"java"}, "php": {"php"}, "buildpack-deps": set()}


def providers(program: str) -> frozenset[str]:
    return PACKAGES.get(program, frozenset({program}))


# What every Linux base with a shell has (Debian's essential packages, busybox's applets):
# scratch and distroless images excepted.
_EVERY_SHELL_BASE = frozenset({
    "sh", "echo", "printf", "true", "false", "test", "[", "env", "cat", "ls", "cp", "mv", "rm", "mkdir",
    "rmdir", "ln", "chmod", "chown", "touch", "sleep", "date", "id", "whoami", "uname", "hostname", "pwd",
    "head", "tail", "wc", "sort", "uniq", "tr", "cut", "grep", "sed", "find", "xargs", "dirname", "basename",
    "kill", "mktemp", "readlink", "realpath", "stat", "du", "df", "tee", "nice", "timeout", "tar", "gzip",
    "gunzip", "base64", "md5sum", "sha256sum", "which", "nohup", "sync", "expr", "seq", "yes", "diff",
})


def base_ships(repository: str, tag: str | None, program: str) -> bool:
    """The base image obviously has ``program``: a core command any base with a shell has, an
    image named after it (``alpine/git``, ``jrottenberg/ffmpeg``), or one of the known images
    listed above."""
    name = repository.rsplit("/", 1)[-1]
    if program in _EVERY_SHELL_BASE and name != "scratch" and "distroless" not in repository:
        return True
    if program in repository.split("/") or name.startswith(f"{program}-") or program == name:
        return True
    tag = tag or "latest"
    if "alpine" in tag or name == "alpine":
        return program in _ALPINE_BASE | {name}
    runtime = _RUNTIMES.get(name, set())
    if name in _RUNTIMES and not any(variant in tag for variant in ("slim", "alpine")):
        return program in _BUILDPACK_DEPS | runtime
    if name in {"debian", "ubuntu"} or name in _RUNTIMES:
        return program in _DEBIAN_BASE | runtime
    return False
