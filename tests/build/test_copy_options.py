"""COPY --from=<image>, --exclude and --link."""

from __future__ import annotations

import hashlib
import tarfile
import textwrap

import pytest
from test_builder import write_context
from test_mounts import layer_members

from twelvecheck.build.builder import BuildError, build


def base_file(busybox_base_image, name: str) -> bytes:
    with tarfile.open(busybox_base_image.blob_path(busybox_base_image.layers[0].descriptor.digest)) as archive:
        return archive.extractfile(name).read()


def test_copy_from_an_image_that_is_not_a_stage_resolves_it_like_a_base(tmp_path, busybox_base):
    context = write_context(tmp_path / "ctx", textwrap.dedent("""\
        FROM scratch AS busybox-free
        COPY --from=busybox /bin/busybox /etc/passwd /out/
        FROM busybox-free
        COPY --from=0 /out/passwd /copied-from-a-stage
    """), {})
    bases = {"busybox": f"oci:{busybox_base}:latest"}
    cache = str(tmp_path / "cache")
    image = build(context, bases=bases, cache_dir=cache)
    base = build(write_context(tmp_path / "base", "FROM busybox\n", {}), bases=bases, cache_dir=cache)
    members = layer_members(image)
    busybox = base_file(base, "bin/busybox")
    assert hashlib.sha256(members["out/busybox"]).digest() == hashlib.sha256(busybox).digest()
    assert members["out/passwd"] == members["copied-from-a-stage"] == base_file(base, "etc/passwd")
    lines: list[str] = []
    assert build(context, bases=bases, cache_dir=cache, progress=lines.append).digest == image.digest
    assert sum(line.endswith("CACHED") for line in lines) == 2  # keyed on the image's digest
    with pytest.raises(BuildError, match="--base alpine=oci:DIR"):
        build(write_context(tmp_path / "bad", "FROM scratch\nCOPY --from=alpine /x /x\n", {}), cache_dir=cache)


def test_copy_exclude_matches_relative_to_each_source_and_keeps_the_cache_key_honest(tmp_path):
    context = write_context(tmp_path / "ctx", textwrap.dedent("""\
        FROM scratch
        COPY --exclude=*.md --exclude=**/*.tmp docs/ /docs/
        COPY --exclude=*.txt hom* /mydir/
    """), {"docs/a.md": "a", "docs/keep.txt": "k", "docs/sub/b.md": "b", "docs/sub/c.tmp": "c",
           "home.txt": "h", "home.cfg": "cfg", "homedir/x.txt": "x", "homedir/y.cfg": "y"})
    cache = str(tmp_path / "cache")
    image = build(context, cache_dir=cache)
    files = {name for name, content in layer_members(image).items() if content is not None}
    assert files == {"docs/keep.txt", "docs/sub/b.md", "mydir/home.cfg", "mydir/y.cfg"}
    (tmp_path / "ctx" / "docs" / "sub" / "c.tmp").write_text("changed, but excluded")
    lines: list[str] = []
    assert build(context, cache_dir=cache, progress=lines.append).digest == image.digest
    assert sum(line.endswith("CACHED") for line in lines) == 2


def test_copy_link_gives_the_same_filesystem_as_a_plain_copy(tmp_path, busybox_base):
    files = {"config.ini": "[app]\n", "data/one.txt": "1\n", "data/nested/two.txt": "22\n"}
    dockerfile = textwrap.dedent("""\
        FROM busybox
        COPY {link}--chmod=600 config.ini /etc/app/
        COPY {link}--chown=1234:5678 data /data
    """)
    bases = {"busybox": f"oci:{busybox_base}:latest"}
    plain = build(write_context(tmp_path / "plain", dockerfile.format(link=""), files), bases=bases,
                  cache_dir=str(tmp_path / "cache"))
    linked = build(write_context(tmp_path / "linked", dockerfile.format(link="--link "), files), bases=bases,
                   cache_dir=str(tmp_path / "cache"))
    assert linked.config.diff_ids == plain.config.diff_ids
    assert [entry.created_by for entry in linked.config.history][-1] == "COPY --link --chown=1234:5678 data /data"
