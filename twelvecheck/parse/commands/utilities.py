"""Everyday utilities whose arguments shell rules read: rm, mkdir, mktemp, ln, tar, useradd,
gpg and the checksum tools (GNU coreutils, tar(1), useradd(8), gpg(1) option tables)."""

from __future__ import annotations

from dataclasses import dataclass

from twelvecheck.parse.commands._invocation import Invocation, build
from twelvecheck.parse.commands._options import OptionTable, flag, valued
from twelvecheck.parse.shell import Command, Word
from twelvecheck.lazy_re import lazy_compile

RM = OptionTable(
    flag("recursive", "-r", "-R", "--recursive"), flag("force", "-f", "--force"),
    flag("dir", "-d", "--dir"), flag("verbose", "-v", "--verbose"),
    flag("interactive", "-i", "-I"), flag("one-file-system"), flag("no-preserve-root"),
)
MKDIR = OptionTable(flag("parents", "-p", "--parents"), valued("mode", "-m", "--mode"),
                    flag("verbose", "-v", "--verbose"))
MKTEMP = OptionTable(flag("directory", "-d", "--directory"), flag("dry-run", "-u", "--dry-run"),
                     flag("quiet", "-q", "--quiet"), valued("tmpdir", "-p", "--tmpdir"),
                     flag("tmpdir-default", "-t"), valued("suffix"))
LN = OptionTable(flag("symbolic", "-s", "--symbolic"), flag("force", "-f", "--force"),
                 flag("no-dereference", "-n", "-h", "--no-dereference"),
                 flag("relative", "-r", "--relative"), flag("verbose", "-v", "--verbose"),
                 flag("backup", "-b"), valued("target-directory", "-t", "--target-directory"),
                 flag("no-target-directory", "-T", "--no-target-directory"),
                 flag("logical", "-L", "--logical"), flag("physical", "-P", "--physical"),
                 valued("suffix", "-S", "--suffix"))
TAR = OptionTable(
    flag("extract", "-x", "--extract", "--get"), flag("create", "-c", "--create"),
    flag("list", "-t", "--list"), flag("append", "-r", "--append"),
    flag("update", "-u", "--update"), valued("file", "-f", "--file"),
    valued("directory", "-C", "--directory"), flag("gzip", "-z", "--gzip"),
    flag("bzip2", "-j", "--bzip2"), flag("xz", "-J", "--xz"), flag("verbose", "-v", "--verbose"),
    flag("auto-compress", "-a", "--auto-compress"), flag("keep-old-files", "-k"),
    flag("preserve-permissions", "-p"), flag("absolute-names", "-P"),
    flag("to-stdout", "-O", "--to-stdout"), valued("strip-components"), valued("exclude"),
    valued("use-compress-program", "-I", "--use-compress-program"), valued("owner"),
    valued("group"), valued("mode"), valued("transform"), valued("wildcards-match-slash"),
    valued("files-from", "-T", "--files-from"), valued("exclude-from", "-X", "--exclude-from"),
    flag("no-same-owner"), flag("same-owner"), flag("numeric-owner"), flag("overwrite"),
    flag("wildcards"), flag("warning"), flag("delay-directory-restore"),
)
USERADD = OptionTable(
    flag("no-log-init", "-l", "--no-log-init"), valued("uid", "-u", "--uid"),
    valued("gid", "-g", "--gid"), valued("groups", "-G", "--groups"),
    valued("home-dir", "-d", "--home-dir"), valued("shell", "-s", "--shell"),
    valued("comment", "-c", "--comment"), valued("base-dir", "-b", "--base-dir"),
    valued("expiredate", "-e", "--expiredate"), valued("inactive", "-f", "--inactive"),
    valued("key", "-K", "--key"), valued("password", "-p", "--password"),
    valued("skel", "-k", "--skel"), valued("root", "-R", "--root"),
    valued("prefix", "-P", "--prefix"), valued("selinux-user", "-Z", "--selinux-user"),
    flag("create-home", "-m", "--create-home"), flag("no-create-home", "-M", "--no-create-home"),
    flag("no-user-group", "-N", "--no-user-group"), flag("user-group", "-U", "--user-group"),
    flag("non-unique", "-o", "--non-unique"), flag("system", "-r", "--system"),
    flag("defaults", "-D", "--defaults"),
)
GPG = OptionTable(
    flag("batch"), flag("no-tty"), flag("yes"), flag("quiet", "-q", "--quiet"),
    flag("verbose", "-v", "--verbose"), flag("armor", "-a", "--armor"),
    flag("verify"), flag("import"), flag("export"), flag("recv-keys", "--recv-keys", "--recv-key"),
    flag("fingerprint"), flag("dearmor", "--dearmor", "--enarmor"), flag("version"),
    flag("list-keys", "-k", "--list-keys"), flag("decrypt", "-d", "--decrypt"),
    flag("sign", "-s", "--sign"), flag("detach-sign", "-b", "--detach-sign"),
    flag("symmetric", "-c", "--symmetric"), flag("encrypt", "-e", "--encrypt"),
    valued("keyserver"), valued("keyserver-options"), valued("homedir"),
    valued("output", "-o", "--output"), valued("keyring"), flag("no-default-keyring"),
    valued("recipient", "-r", "--recipient"), valued("local-user", "-u", "--local-user"),
    valued("trust-model"), valued("status-fd"), valued("passphrase"),
)
CHECKSUM = OptionTable(flag("check", "-c", "--check"), flag("binary", "-b", "--binary"),
                       flag("text", "-t", "--text"), flag("quiet", "--quiet"),
                       flag("status", "--status", "-s"), flag("strict"), flag("warn", "-w"),
                       flag("ignore-missing"), flag("zero", "-z", "--zero"))
_TABLES = {"rm": RM, "mkdir": MKDIR, "mktemp": MKTEMP, "ln": LN, "tar": TAR, "gtar": TAR,
           "bsdtar": TAR, "useradd": USERADD, "gpg": GPG, "gpg2": GPG}
CHECKSUM_TOOLS = frozenset({"md5sum", "sha1sum", "sha224sum", "sha256sum", "sha384sum",
                            "sha512sum", "b2sum", "shasum"})
_OLD_TAR_BUNDLE = lazy_compile(r"[A-Za-z]+")


@dataclass(frozen=True, slots=True)
class UtilityInvocation(Invocation):
    @property
    def recursive(self) -> bool:
        return self.has("recursive")

    @property
    def paths(self) -> list[str]:
        return [word.value for word in self.operands]


def parse(command: Command, words: tuple[Word, ...]) -> UtilityInvocation:
    name = command.name
    table = CHECKSUM if name in CHECKSUM_TOOLS else _TABLES[name]
    if table is TAR and words and _OLD_TAR_BUNDLE.fullmatch(words[0].value):
        # 'tar xzf file.tgz': the first word is a dash-less bundle of short options.
        first = words[0]
        words = (Word("-" + first.value, first.raw, first.start, first.end), *words[1:])
    return build(UtilityInvocation, name, command, words, table)


NAMES = frozenset(_TABLES) | CHECKSUM_TOOLS
