"""Linting does linear work in the size of a Dockerfile: counted in operations, not seconds.

Each file shape is linted at N, 2N and 3N lines with every rule on, counting the Python lines
run (``sys.settrace``, loops without calls count too), a measure the machine's load does not change. For linear
work the step from 2N to 3N costs what the step from N to 2N cost; a rule or context that
rescans the file per instruction makes the second step dearer (by N lines' worth per line).
"""

from __future__ import annotations

import sys

import pytest

from twelvecheck.config import Config
from twelvecheck.discover import Candidate
from twelvecheck.engine import Engine
from twelvecheck.parse.shell import parse_script

KINDS = [
    "USER user{i}", "ENV VAR{i}=value{i} PATH=/opt/{i}:$PATH", "ARG A{i}=${{A{j}}}",
    "RUN apt-get update && apt-get install -y pkg{i} && cd /tmp/{i} && make",
    "COPY --chown=1000:1000 src{i} /app/{i}/", "ADD https://example.com/{i}.tgz /opt/",
    "WORKDIR /srv/{i}", 'LABEL key{i}="value {i}"', "EXPOSE {i}", "VOLUME /data/{i}",
    'CMD ["app", "--n", "{i}"]', 'ENTRYPOINT ["app{i}"]', "HEALTHCHECK CMD curl -f http://localhost/{i} || exit 1",
    'SHELL ["/bin/bash", "-o", "pipefail", "-c"]', "STOPSIGNAL SIGTERM", "ONBUILD RUN echo {i}",
    "# comment {i}", "# twelvecheck ignore=DF046", "RUN curl -fsSL https://example.com/{i} | sh",
]


def every_kind(count: int) -> str:
    return "FROM debian:12\n" + "".join(KINDS[i % len(KINDS)].format(i=i, j=max(i - 1, 0)) + "\n" for i in range(count))


def stages(count: int) -> str:
    return "FROM alpine:3.20 AS s0\nRUN apt-get update\n" + "".join(
        f"FROM s{i - 1} AS s{i}\nCOPY --from=s{max(i - 2, 0)} /a /a{i}\nRUN apt-get install -y p{i}\n" for i in range(1, count))


def continued(count: int) -> str:
    return "FROM debian:12\nRUN true \\\n" + "".join(f"  && echo {i} \\\n" for i in range(count)) + "  && true\n"


def runs(count: int) -> str:
    return "FROM debian:12\n" + "".join(f"RUN apt-get update && apt-get install -y p{i} && cd /x{i} && curl -o f https://x/{i}\n" for i in range(count))


def installs(count: int) -> str:
    """One RUN installing and cleaning up again and again: each install looks for a later cleanup."""
    return "FROM debian:12\nRUN apt-get update \\\n" + "".join(
        f"  && dnf install -y p{i} && dnf clean all && npm install q{i} && npm cache clean --force \\\n" for i in range(count)) + "  && true\n"


def commented(count: int) -> str:
    return "FROM debian:12\n" + "".join(f"# note {i}\nUSER u{i}\n" for i in range(count))


def pragmas(count: int) -> str:
    return "FROM debian:12\n" + "".join(f"# twelvecheck ignore=DF046,DF011\nUSER u{i}\nCMD x{i}\n" for i in range(count))


def _calls(engine: Engine, tmp_path, text: str) -> int:
    path = tmp_path / "Dockerfile"
    path.write_text(text, encoding="utf-8")
    parse_script.cache_clear()  # a RUN seen in the smaller file must cost the same in the larger
    count = 0

    def trace(frame, event, arg):
        nonlocal count
        count += 1
        return trace

    sys.settrace(trace)
    try:
        engine.lint_file(Candidate(str(path), "dockerfile", root=str(tmp_path)), "Dockerfile")
    finally:
        sys.settrace(None)
    return count


@pytest.mark.parametrize("shape, size", [(every_kind, 200), (stages, 60), (continued, 300), (runs, 100), (installs, 100), (commented, 200), (pragmas, 100)])
def test_work_grows_linearly(shape, size, tmp_path):
    engine = Engine(Config(select=("all",), ignore=("SH100",)))
    _calls(engine, tmp_path, shape(size))  # warm up: rules loaded, patterns compiled
    small, middle, large = (_calls(engine, tmp_path, shape(size * k)) for k in (1, 2, 3))
    first, second = middle - small, large - middle
    assert first > 0
    assert second <= 1.1 * first, f"{shape.__name__}: N->2N costs {first} lines, 2N->3N {second}: more than linear"
