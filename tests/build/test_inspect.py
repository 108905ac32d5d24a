"""The image view's per-path history and the ledger's figures on hand-made layers, where every
number can be worked out by hand (dive's definitions: build/ledger.py)."""

from __future__ import annotations

import pytest
from image_factory import directory, file, layout

from twelvecheck.build import inspect
from twelvecheck.build.ledger import dive_figures, ledger


@pytest.fixture
def view(tmp_path):
    def make(layers):
        return inspect.view(layout(tmp_path / "image", layers), cache_dir=str(tmp_path / "cache"))
    return make


def test_history_of_paths_across_whiteouts_opaque_dirs_and_replacements(view):
    image = view([
        [directory("d"), file("d/x", b"5" * 50), directory("o"), file("o/keep", b"k"), file("a", b"1" * 100)],
        [file("a", b"2" * 30), file(".wh.d"), file("o/.wh..wh..opq"), file("o/new", b"n")],
        [file("d", b"now a file")],
    ])
    assert [(e.layer, e.kind) for e in image.events("/a")] == [(1, "added"), (2, "modified")]
    assert [(e.layer, e.kind, e.whiteout) for e in image.events("/d")] == [
        (1, "added", False), (2, "deleted", True), (3, "added", False)]
    assert [(e.layer, e.kind, e.whiteout) for e in image.events("/d/x")] == [(1, "added", False), (2, "deleted", False)]
    assert image.final("/o/keep") is None and image.final("/o/new").size == 1
    assert image.final("/d").type == "file" and image.final("/d/x") is None
    assert [layer.size for layer in image.layers] == [151, 31, 10]


def test_dive_figures_as_dive_computes_them(view):
    # Layer 1: /a 100 B, /d/x 50 B. Layer 2: /a rewritten (30 B), directory /d whited out.
    # Leaves: /a [100, 30]; /d/x [50]; /d only as layer 2's whiteout, weighing what was below it [50].
    # Σmin = 30 + 50 + 50 = 130, Σcumulative = 130 + 50 + 50 = 230; wasted = /a's 130;
    # user bytes = layer 2's 30.
    image = view([[directory("d"), file("d/x", b"5" * 50), file("a", b"1" * 100)],
                  [file("a", b"2" * 30), file(".wh.d")]])
    dive = dive_figures(image)
    assert dive["efficiency"] == pytest.approx(130 / 230)
    assert dive["wasted_bytes"] == 130
    assert dive["user_wasted_percent"] == pytest.approx(130 / 30)
    assert dive["inefficiencies"] == [{"path": "/a", "count": 2, "cumulative_bytes": 130}]
    figures = ledger(image)
    assert [(row["bytes_added"], row["bytes_removed_later"], row["files_written_twice"])
            for row in figures["layers"]] == [(150, 150, 0), (30, 0, 1)]
    how = {(entry["layer"], entry["removed_in_layer"], entry["how"]): entry["bytes"] for entry in figures["reclaimable"]}
    assert how == {(1, 2, "overwritten"): 100, (1, 2, "deleted"): 50}


def test_an_image_without_sizes_is_fully_efficient(view):
    dive = dive_figures(view([[directory("empty")]]))
    assert dive["efficiency"] == 1.0 and dive["wasted_bytes"] == 0 and dive["user_wasted_percent"] == 0.0


def test_samples_keep_account_and_key_files_only(view):
    key = b"-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n"
    image = view([[directory("etc"), file("etc/passwd", b"root:x:0:0::/root:/bin/sh\n"),
                   file("srv/blob.bin", key), file("srv/readme.txt", b"hello")]])
    assert image.text("/etc/passwd").startswith("root:x:0:0")
    assert image.final("/srv/blob.bin").sample == key
    assert image.final("/srv/readme.txt").sample is None


def test_the_layer_index_gives_the_same_view(view, tmp_path):
    layers = [[file("a", b"1" * 10)], [file(".wh.a"), file("b", b"2")]]
    first = view(layers)
    again = inspect.view(f"oci:{tmp_path / 'image'}", cache_dir=str(tmp_path / "cache"))
    assert first.paths == again.paths and [l.size for l in first.layers] == [l.size for l in again.layers]
    assert any((tmp_path / "cache" / "layer-index").iterdir())
