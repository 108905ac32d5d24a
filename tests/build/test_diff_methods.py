"""The two ways of recording a step (overlayfs upper directory, snapshot-and-compare) must give
byte-identical layers and the same change records, on the builder suite and on a Dockerfile made
of the awkward cases: whiteouts, opaque directories, hardlinks, a directory renamed (which
overlay copies), a directory replaced by a file and back."""

from __future__ import annotations

import pytest
from conftest import require_tool
from test_builder import MULTI_STAGE, write_context
from test_parity import tree_facts, unpack

from twelvecheck.build import changes, overlay
from twelvecheck.build.builder import build

AWKWARD = """\
FROM busybox
RUN mkdir -p /data/keep/deep /data/gone /opq && echo a > /data/keep/deep/a && echo b > /data/gone/b \\
 && echo c > /data/c && ln /data/c /data/c-link && echo old > /opq/old && echo f > /data/file
RUN rm -rf /data/gone /opq && mkdir /opq && echo new > /opq/new && rm /data/c && chmod 700 /data/keep \\
 && rm /bin/ls && mkdir /bin/ls && rm /data/file && mkdir /data/file && rm -rf /usr/sbin && echo s > /usr/sbin
RUN mv /data/keep /data/moved && ln -s moved /data/keep && echo more >> /data/c-link && touch /data/moved/deep/a
"""


@pytest.fixture
def overlay_usable(tmp_path):
    reason = overlay.unavailable_reason(str(tmp_path))
    if reason:
        pytest.skip(f"overlay diff unavailable: {reason}")


def _build_with(method: str, context: str, base, work, monkeypatch):
    monkeypatch.setenv(changes.ENVIRONMENT_VARIABLE, method)
    layout = work / f"{method}-image"
    image = build(context, tag="t:x", bases={"busybox": f"oci:{base}:latest"}, cache_dir=str(work / method),
                  output=f"oci:{layout}")
    return image.digest, [record.changes for record in image.records], tree_facts(unpack(layout, "x", work / f"{method}-bundle"))


@pytest.mark.parametrize("dockerfile, files", [
    (AWKWARD, {}),
    (MULTI_STAGE, {"config.ini": "[app]\n", "data/one.txt": "1\n", "data/nested/two.txt": "22\n"}),
], ids=["awkward", "suite"])
def test_overlay_and_snapshot_make_identical_layers(tmp_path, busybox_base, monkeypatch, overlay_usable,
                                                    dockerfile, files):
    require_tool("bwrap", "bubblewrap")
    require_tool("runc", "runc")
    context = write_context(tmp_path / "ctx", dockerfile, files)
    require_tool("umoci", "umoci")
    digest, records, tree = _build_with("overlay", context, busybox_base, tmp_path, monkeypatch)
    other_digest, other_records, other_tree = _build_with("snapshot", context, busybox_base, tmp_path, monkeypatch)
    assert tree == other_tree  # the same filesystem, always
    if dockerfile is AWKWARD and digest != other_digest:
        # `rm -rf /opq && mkdir /opq` may get the old directory's inode back from the kernel; the
        # snapshot method then sees the same directory emptied (whiteouts) where overlay saw a
        # new one (opaque). Same files either way, different layer bytes: allowed, nothing else.
        def outside_opq(steps):
            return [[c for c in step if not c.path.startswith("/opq")] for step in steps if step is not None]

        assert outside_opq(records) == outside_opq(other_records)
        return
    assert (digest, records) == (other_digest, other_records)


def test_overlay_is_chosen_when_available_and_the_environment_overrides(tmp_path, monkeypatch, overlay_usable):
    monkeypatch.delenv(changes.ENVIRONMENT_VARIABLE, raising=False)
    assert changes.choose_method(str(tmp_path)) == "overlay"
    monkeypatch.setenv(changes.ENVIRONMENT_VARIABLE, "snapshot")
    assert changes.choose_method(str(tmp_path)) == "snapshot"
    monkeypatch.setenv(changes.ENVIRONMENT_VARIABLE, "zfs")
    with pytest.raises(changes.DiffMethodError, match="overlay, snapshot"):
        changes.choose_method(str(tmp_path))
