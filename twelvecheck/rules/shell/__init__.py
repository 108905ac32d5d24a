"""Rules about the shell commands inside RUN (codes ``SH``)."""

KINDS = ("dockerfile",)
