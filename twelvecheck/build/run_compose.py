"""What a compose service changes about the run of its image (``verify --run``).

A service whose ``build`` points at the verified Dockerfile (or the one ``--service`` names)
gives the run its ``environment`` and ``env_file`` values (interpolated as compose does, with the
project's ``.env``), ``command``/``entrypoint`` overrides, ``stop_signal``,
``stop_grace_period`` and the container side of its ``ports``. Its ``depends_on`` services are
not started: the run says whether the app starts without them or fails fast.
"""

from __future__ import annotations

import os
import shlex
from dataclasses import replace
from pathlib import Path

from twelvecheck.build.runtime import RunOptions

def _words(node) -> tuple[str, ...] | None:
    from twelvecheck.parse.compose.nodes import Scalar, Sequence

    if isinstance(node, Sequence):
        return tuple(str(item.value) for item in node if isinstance(item, Scalar))
    if isinstance(node, Scalar) and node.value is not None:
        try:
            return tuple(shlex.split(str(node.value)))
        except ValueError:
            return (str(node.value),)
    return None


def service_options(dockerfile: str, options: RunOptions, service_name: str | None = None,
                    environ: dict[str, str] | None = None) -> tuple[RunOptions, list[str]]:
    """``options`` with the matching service's settings, and notes on what was taken."""
    from twelvecheck.parse.compose.nodes import Scalar
    from twelvecheck.parse.compose.project import discover_files, load_project
    from twelvecheck.rules.compose._private import duration_seconds

    directory = Path(os.path.dirname(os.path.abspath(dockerfile)))
    files = discover_files(directory)
    if not files:
        return options, ([f"--service {service_name}: no compose file beside the Dockerfile"] if service_name else [])
    project = load_project(files, dict(environ or {}), directory, tree=str(directory))
    chosen = None
    for service in project.services.values():
        if service_name:
            if service.name == service_name:
                chosen = service
            continue
        build = service.build
        if build is None or "://" in build.context:
            continue
        target = os.path.join(build.context, build.dockerfile or "Dockerfile")
        if os.path.abspath(target) == os.path.abspath(dockerfile):
            chosen = service
            break
    if chosen is None:
        return options, ([f"--service {service_name}: no such service in {files[0].name}"] if service_name else [])
    env = tuple(f"{var.name}={var.value}" for var in chosen.environment.values() if var.value is not None)
    changes: dict = {"service": chosen.name, "env": options.env + env,
                     "backing": tuple(dependency.service for dependency in chosen.depends_on),
                     "ports": tuple(number for binding in chosen.ports
                                    for number in range(binding.target.start, binding.target.end + 1))}
    entrypoint, command = _words(chosen.get("entrypoint")), _words(chosen.get("command"))
    if entrypoint is not None:
        changes["entrypoint"] = entrypoint
    if command is not None:
        changes["command"] = command
    stop_signal = chosen.get("stop_signal")
    if isinstance(stop_signal, Scalar) and stop_signal.value:
        changes["stop_signal"] = str(stop_signal.value)
    grace = chosen.get("stop_grace_period")
    if isinstance(grace, Scalar) and grace.value is not None and duration_seconds(str(grace.value)) is not None:
        changes["grace"] = duration_seconds(str(grace.value))
    notes = [f"run as compose service {chosen.name!r} of {files[0].name}"]
    if changes["backing"]:
        notes.append(f"its backing services ({', '.join(changes['backing'])}) are not started, on purpose")
    return replace(options, **changes), notes
