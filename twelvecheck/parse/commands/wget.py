"""GNU wget (wget(1)). Some short options have two letters (``-nv``, ``-nc``)."""

from __future__ import annotations

from dataclasses import dataclass

from twelvecheck.parse.commands._invocation import Invocation, build
from twelvecheck.parse.commands._options import OptionTable, flag, valued
from twelvecheck.parse.shell import Command, Word

TABLE = OptionTable(
    flag("no-check-certificate"),
    valued("output-document", "-O", "--output-document"),
    valued("output-file", "-o", "--output-file"),
    valued("append-output", "-a", "--append-output"),
    flag("quiet", "-q", "--quiet"),
    flag("verbose", "-v", "--verbose"),
    flag("no-verbose", "-nv", "--no-verbose"),
    flag("no-clobber", "-nc", "--no-clobber"),
    flag("no-parent", "-np", "--no-parent"),
    flag("no-directories", "-nd", "--no-directories"),
    flag("no-host-directories", "-nH", "--no-host-directories"),
    flag("continue", "-c", "--continue"),
    flag("timestamping", "-N", "--timestamping"),
    flag("recursive", "-r", "--recursive"),
    flag("mirror", "-m", "--mirror"),
    flag("server-response", "-S", "--server-response"),
    flag("inet4-only", "-4", "--inet4-only"),
    flag("inet6-only", "-6", "--inet6-only"),
    flag("https-only"), flag("show-progress"), flag("spider"), flag("no-hsts"),
    flag("retry-connrefused"), flag("content-disposition"), flag("trust-server-names"),
    valued("progress"),
    valued("tries", "-t", "--tries"),
    valued("timeout", "-T", "--timeout"),
    valued("directory-prefix", "-P", "--directory-prefix"),
    valued("user-agent", "-U", "--user-agent"),
    valued("input-file", "-i", "--input-file"),
    valued("base", "-B", "--base"),
    valued("level", "-l", "--level"),
    valued("accept", "-A", "--accept"),
    valued("reject", "-R", "--reject"),
    valued("domains", "-D", "--domains"),
    valued("wait", "-w", "--wait"),
    valued("quota", "-Q", "--quota"),
    valued("execute", "-e", "--execute"),
    valued("header"), valued("user"), valued("password"), valued("http-user"),
    valued("http-password"), valued("secure-protocol"), valued("ca-certificate"),
    valued("ca-directory"), valued("certificate"), valued("private-key"), valued("config"),
    valued("max-redirect"), valued("post-data"), valued("post-file"), valued("method"),
    valued("body-data"), valued("load-cookies"), valued("save-cookies"), valued("limit-rate"),
    valued("cut-dirs"), valued("backups"), valued("read-timeout"), valued("dns-timeout"),
    valued("connect-timeout"), valued("waitretry"),
)


@dataclass(frozen=True, slots=True)
class WgetInvocation(Invocation):
    @property
    def urls(self) -> list[str]:
        return [word.value for word in self.operands]

    @property
    def disables_tls_verification(self) -> bool:
        """``--no-check-certificate`` or ``-e check_certificate=off`` (a wgetrc command)."""
        settings = [value.replace(" ", "").replace("_", "").lower()
                    for value in self.values("execute")]
        return self.has("no-check-certificate") or any(
            setting in ("checkcertificate=off", "checkcertificate=0") for setting in settings)

    @property
    def output(self) -> str | None:
        return self.value("output-document")

    @property
    def writes_stdout(self) -> bool:
        return self.output == "-"


def parse(command: Command, words: tuple[Word, ...]) -> WgetInvocation:
    return build(WgetInvocation, "wget", command, words, TABLE)
