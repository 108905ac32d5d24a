"""Cross-checks between application code and its container (codes ``AP2xx``), run by audit.

The code says what the container must provide (binaries it runs, the port it listens on, the
variables it reads); the Dockerfile and compose files say what it does provide. These rules
compare the two per application: the source files below a Dockerfile's directory (its build
context) against that Dockerfile's final image and the compose services built from it.
"""

KINDS = ("repository",)
