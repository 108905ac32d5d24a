"""Parity with BuildKit on a real Debian base: Dockerfiles of real shapes (apt-get install over
``--network host``, multi-stage, COPY --from a stage and an image, symlinks in the context,
--chmod/--chown, .dockerignore, ARG/ENV, USER switches, ADD of archives, deletions) give the same
final filesystem (type, permission bits, owner, content hash, link target) and config as
BuildKit's (Debian's docker 20.10, one daemon for the session).

Both builders start from the same one-layer base (tests/debian_base.py).  BuildKit runs with
``--network host``: the daemon has no bridge (``--bridge=none``), so ``--network none`` or host
are the only networks a RUN can have, and apt needs host.  Heredocs are not in the suite: this
BuildKit's built-in frontend only parses them with a ``# syntax=`` image pulled from the network.

Compared apart (docs/builder.md): mtimes and history text; the *content* (not type, mode or
owner) of files that record when or in which order something ran (apt's and dpkg's logs, apt's
binary package caches, ldconfig's aux-cache), which differ between any two builds.
"""

from __future__ import annotations

import textwrap

import pytest
from buildkit import LayerFacts, compare_with_buildkit, write_case
from conftest import require_tool

BASE = "debian:bookworm"
VOLATILE = ("/var/log/", "/var/cache/apt/pkgcache.bin", "/var/cache/apt/srcpkgcache.bin",
            "/var/cache/ldconfig/aux-cache", "/var/cache/debconf/templates.dat")


def _files(**files):
    return files


CASES = {
    "apt-user-workdir": (textwrap.dedent("""\
        FROM debian:bookworm
        ARG DEBIAN_FRONTEND=noninteractive
        RUN apt-get update && apt-get install -y --no-install-recommends jq tini && rm -rf /var/lib/apt/lists/*
        RUN useradd --create-home --uid 1500 app
        USER app
        WORKDIR /home/app/work
        RUN echo hi > note.txt && id > whoami.txt && jq --version > jq.txt
        ENTRYPOINT ["/usr/bin/tini", "--"]
        CMD ["jq", "--version"]
    """), {}),
    "multi-stage": (textwrap.dedent("""\
        FROM debian:bookworm AS build
        WORKDIR /src
        COPY src/ ./
        RUN sh build.sh /out
        FROM debian:bookworm
        COPY --from=build /out/ /usr/local/bin/
        COPY --from=build --chown=1000:1000 /src/config.ini /etc/app/
        EXPOSE 8080/tcp 9090/udp
        CMD ["app"]
    """), _files(**{"src/build.sh": "set -e\nmkdir -p \"$1\"\nprintf '#!/bin/sh\\necho app\\n' > \"$1/app\"\n"
                                    "chmod 755 \"$1/app\"\nln -s app \"$1/app-link\"\n",
                    "src/config.ini": "[app]\nport = 8080\n"})),
    "context-symlinks": (textwrap.dedent("""\
        FROM debian:bookworm
        COPY link.txt /one/
        COPY link.txt /renamed.txt
        COPY dir-link /two
        COPY dir /three/
        COPY *-link /four/
        COPY dir-link/sub/a.txt /five/
        COPY real.txt /bin/
        COPY dir /lib/copied/
        COPY --chown=1000 link.txt /sbin/from-link
    """), _files(**{"real.txt": "real\n", "dir/sub/a.txt": "a\n", "@link.txt": "real.txt",
                    "@dir-link": "dir", "@dir/inner-link": "sub/a.txt", "@dir/abs-inner": "/etc/hostname"})),
    "chmod-chown": (textwrap.dedent("""\
        FROM debian:bookworm
        RUN groupadd -g 1600 grp && useradd -u 1500 -m app
        COPY --chmod=0640 dir/ /srv/a/b/
        COPY --chmod=0755 file.sh /usr/local/bin/
        COPY --chown=app:grp dir /srv/owned/
        COPY --chown=1500 file.sh /srv/numeric/
        COPY --chown=1500:grp file.sh /srv/numeric-named/
        COPY --chown=app --chmod=0600 dir /srv/both/
        COPY --chown=app dir /tmp/
        COPY --chmod=0644 dir /etc/
        COPY --chown=app file.sh /etc/
    """), _files(**{"dir/b.txt": "b\n", "dir/sub/c.txt": "c\n", "file.sh": "#!/bin/sh\n", "%dir/sub": 0o700,
                    "%dir": 0o751, "%file.sh": 0o600})),
    "dockerignore": ("FROM debian:bookworm\nCOPY . /app/\nCOPY sub /sub/\n", _files(**{
        ".dockerignore": "**/*.log\n!keep.log\n.git\nsecrets/\nDockerfile\n",
        ".git/config": "[core]\n", "a.log": "a\n", "keep.log": "k\n", "sub/b.log": "b\n", "sub/mod.py": "m\n",
        "secrets/key": "s\n", "app.py": "print(1)\n"})),
    "arg-env": (textwrap.dedent("""\
        ARG BASE=debian:bookworm
        FROM ${BASE}
        ARG VERSION=1.2.3
        ARG EMPTY
        ENV APP_HOME=/opt/app \\
            PATH=/opt/app/bin:$PATH
        ENV GREETING="hello ${VERSION}"
        WORKDIR $APP_HOME
        RUN mkdir bin && echo "$VERSION $GREETING ${EMPTY:-none}" > version.txt
        LABEL org.opencontainers.image.version=$VERSION maintainer="x y"
        STOPSIGNAL SIGTERM
        HEALTHCHECK --interval=30s --timeout=3s CMD test -f /opt/app/version.txt
        VOLUME /data
        USER nobody
    """), {}),
    "users": (textwrap.dedent("""\
        FROM debian:bookworm
        RUN useradd -u 1234 -m builder && mkdir /shared && chown builder /shared
        USER builder
        RUN touch /shared/by-builder && mkdir -p /home/builder/.cache/x
        USER 1234:0
        RUN touch /shared/by-1234-0
        USER root
        COPY --chown=builder:builder file.txt /home/builder/
        WORKDIR /home/builder/made-by-root
    """), _files(**{"file.txt": "f\n"})),
    "add-archives": (textwrap.dedent("""\
        FROM debian:bookworm
        ADD app.tar /opt/
        ADD --chown=1000:1000 app.tar /srv/
        ADD plain.txt /srv/plain.txt
        ADD app.tar.gz /gz/
    """), _files(**{"plain.txt": "p\n", "!app.tar": "", "!app.tar.gz": ""})),
    "copy-from-image": (textwrap.dedent("""\
        FROM scratch
        COPY --from=debian:bookworm /etc/os-release /etc/debian_version /info/
        COPY --from=debian:bookworm /usr/share/doc/apt /docs/apt
        COPY --from=debian:bookworm /bin/true /bin/
    """), {}),
    "delete-overwrite": (textwrap.dedent("""\
        FROM debian:bookworm
        RUN rm -rf /usr/share/doc/apt /var/log/apt && mkdir /var/log/apt && echo x > /etc/motd
        RUN rm /etc/motd && ln -s /etc/issue /etc/motd && rm -rf /usr/share/doc && mkdir /usr/share/doc
        COPY file.txt /usr/share/doc/
    """), _files(**{"file.txt": "f\n"})),
}


@pytest.fixture(scope="module")
def loaded_base(dockerd, debian_base):
    require_tool("skopeo", "skopeo")
    import debian_base as maker

    archive = maker.docker_archive(debian_base, f"localhost/{BASE}")
    dockerd.docker("load", "-i", str(archive))
    dockerd.docker("tag", f"localhost/{BASE}", BASE)
    return debian_base


@pytest.fixture(scope="module")
def layer_facts():
    return LayerFacts()


@pytest.mark.parametrize("name", sorted(CASES))
def test_same_filesystem_and_config_as_buildkit_on_debian(name, dockerd, loaded_base, layer_facts, tmp_path,
                                                          tmp_path_factory):
    dockerfile, files = CASES[name]
    context = write_case(tmp_path / "ctx", dockerfile, files)
    compared = compare_with_buildkit(dockerd, context, {BASE: f"oci:{loaded_base}:latest"}, layer_facts, tmp_path,
                                     cache_dir=tmp_path_factory.getbasetemp() / "debian-parity-cache", network="host")
    print(f"{name}: {compared.timing}")
    assert compared.differences(volatile=VOLATILE) == {}
    assert compared.ours_config == compared.theirs_config
