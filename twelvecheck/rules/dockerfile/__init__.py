"""Rules about Dockerfile instructions and stages (codes ``DF``)."""

KINDS = ("dockerfile",)
