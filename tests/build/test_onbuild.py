"""ONBUILD: recorded by one build, run right after FROM by the next one, not inherited further."""

from __future__ import annotations

import json
import tarfile
import textwrap

from conftest import require_tool
from test_builder import write_context
from test_mounts import layer_members

from twelvecheck.build.builder import build


def test_onbuild_triggers_run_in_the_build_that_uses_the_image_and_only_there(tmp_path, busybox_base):
    require_tool("bwrap", "bubblewrap")
    cache = str(tmp_path / "cache")
    parent = write_context(tmp_path / "parent", textwrap.dedent("""\
        FROM busybox
        ONBUILD ARG FLAVOUR=plain
        ONBUILD ENV FROM_TRIGGER=$FLAVOUR
        ONBUILD COPY marker.txt /marker.txt
        ONBUILD RUN echo "triggered $FROM_TRIGGER" > /triggered
    """), {"marker.txt": "from the parent's context\n"})
    build(parent, tag="parent:1", bases={"busybox": f"oci:{busybox_base}:latest"}, cache_dir=cache,
          output=f"oci:{tmp_path / 'parent-image'}")
    child = write_context(tmp_path / "child", "FROM parent\nRUN cat /triggered > /seen\n",
                          {"marker.txt": "from the child's context\n"})
    lines: list[str] = []
    image = build(child, tag="child:1", bases={"parent": f"oci:{tmp_path / 'parent-image'}:1"},
                  build_args={"FLAVOUR": "spicy"}, cache_dir=cache, output=f"oci:{tmp_path / 'child-image'}",
                  progress=lines.append)
    members = layer_members(image)
    assert members["marker.txt"] == b"from the child's context\n"
    assert members["seen"] == members["triggered"] == b"triggered spicy\n"
    config = json.loads(image.config.data)
    assert "OnBuild" not in config["config"] and "FROM_TRIGGER=spicy" in config["config"]["Env"]
    assert "[0] ONBUILD COPY marker.txt /marker.txt" in lines
    assert [entry["created_by"] for entry in config["history"]][-4:-1] == [
        "ENV FROM_TRIGGER=$FLAVOUR", "COPY marker.txt /marker.txt",
        'RUN echo "triggered $FROM_TRIGGER" > /triggered']
    grandchild = write_context(tmp_path / "grandchild", "FROM child\n", {})
    again = build(grandchild, bases={"child": f"oci:{tmp_path / 'child-image'}:1"}, cache_dir=cache)
    assert again.config.diff_ids == image.config.diff_ids  # nothing ran: the triggers were not inherited
    with tarfile.open(image.blob_path(image.layers[0].descriptor.digest)) as base_layer:
        assert "triggered" not in base_layer.getnames()
