"""The shape of run-time probes (``verify --run``): each reads the one ``Recording`` of the image's
sandboxed run (build/runtime.py) that verify attached to the image view as ``image.run``; without
``--run`` there is none and the probe says nothing. A probe never starts a container.

Evidence carries the contract's keys plus the measured values (``seconds``, ``port``,
``bytes``, ``path``, ``pid``)."""

from __future__ import annotations

from typing import Any

from twelvecheck.findings import Evidence
from twelvecheck.rules._verify import _keys, config_source, span_at
from twelvecheck.rules.image._base import ImageRule

TMP_DIRS = ("/tmp", "/var/tmp", "/run", "/var/run", "/dev/shm")


def under(path: str, directories) -> bool:
    return any(path == d.rstrip("/") or path.startswith(d.rstrip("/") + "/") for d in directories)


class RunProbe(ImageRule):
    run_time = True  # needs verify --run: the plain image examples test leaves these to tests/build/test_run.py


def recording(image):
    return getattr(image, "run", None)


def measured(description: str, line: int | None = None, **values: Any) -> Evidence:
    data = _keys(instruction_line=line, base=False)
    data.update({key: value for key, value in values.items()})
    return Evidence(description, data)


def command_line(image) -> int | None:
    """The line of the ENTRYPOINT or CMD that starts the process (the later of the two)."""
    lines = [line for line, _ in (config_source(image, "entrypoint"), config_source(image, "cmd")) if line]
    return max(lines) if lines else None


def span_of(image, field: str = "command"):
    line = command_line(image) if field == "command" else config_source(image, field)[0]
    return span_at(image, line or command_line(image)), line or command_line(image)


def seconds(value: float | None) -> float | None:
    return None if value is None else round(value, 3)
