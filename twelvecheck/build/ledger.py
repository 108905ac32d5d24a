"""The waste ledger of an image: per instruction, what it added and what of that never reaches
the running container (a later step deleted or overwrote it, yet the layer still ships it).

Two sets of figures, both from the image view (inspect.py):

* ours, per layer: ``bytes_added`` (file content in the layer), ``bytes_removed_later`` (of
  those, bytes a later layer deletes or overwrites), ``files_written_twice`` (files this layer
  writes that a lower layer already had), and ``reclaimable`` entries that blame each wasted
  byte on the line that added it and the line that removed or replaced it. Only the copies that
  do not survive count as reclaimable: the final copy of a file is what the image is for.
* dive's, computed as dive (wagoodman/dive, ``filetree/efficiency.go`` and
  ``image/analysis.go``) defines them, so its CI thresholds mean the same here. For every leaf
  entry of every layer (files, symlinks, empty directories, whiteouts) dive notes a size: the
  tar entry's size, or for a whiteout of a directory the bytes below that directory in the
  layers under it (a whiteout of a file counts 0). Per path, ``cumulative`` is the sum of those
  sizes and ``minimum`` the smallest. ``efficiency`` = sum of minimums / sum of cumulatives
  (1.0 when nothing has a size); ``wasted_bytes`` = sum of cumulatives of the paths seen in two
  or more layers (every copy, the surviving one too: dive#684); ``user_wasted_percent`` =
  ``wasted_bytes`` / the bytes of all layers but the first (dive treats only the first layer as
  the base), a fraction despite its name, 0.0 when there are no such bytes. Layer bytes are the
  sums of the layer's file sizes. Opaque whiteouts add nothing to dive's figures.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from typing import Any

INEFFICIENCIES_SHOWN = 10


def ledger(image) -> dict[str, Any]:
    layers = {info.number: _row(info) for info in image.layers}
    blame: dict[tuple[int, int, str], dict[str, Any]] = {}
    for path, events in image.paths.items():
        for position, event in enumerate(events):
            if event.kind == "deleted" or event.type != "file":
                continue
            if event.kind == "modified":
                layers[event.layer]["files_written_twice"] += 1
            later = next((e for e in events[position + 1:] if e.layer != event.layer), None)
            if later is None or event.size == 0:
                continue
            layers[event.layer]["bytes_removed_later"] += event.size
            how = "overwritten" if later.kind != "deleted" else "deleted"
            entry = blame.setdefault((event.layer, later.layer, how), {
                "layer": event.layer, "added_at_line": image.line_of(event.layer),
                "removed_in_layer": later.layer, "removed_at_line": image.line_of(later.layer), "how": how,
                "base": image.layer(event.layer).base, "bytes": 0, "files": 0, "largest": None, "_largest": -1})
            entry["bytes"] += event.size
            entry["files"] += 1
            if event.size > entry["_largest"]:
                entry["largest"], entry["_largest"] = path, event.size
    reclaimable = sorted(blame.values(), key=lambda item: (-item["bytes"], item["layer"]))
    for entry in reclaimable:
        del entry["_largest"]
    for row in layers.values():
        row["reclaimable_bytes"] = row["bytes_removed_later"]
    total = sum(row["bytes_added"] for row in layers.values())
    return {
        "layers": list(layers.values()),
        "reclaimable": reclaimable,
        "total_bytes": total,
        "reclaimable_bytes": sum(item["bytes"] for item in reclaimable if not item["base"]),
        "dive": dive_figures(image),
    }


def _row(info) -> dict[str, Any]:
    return {"layer": info.number, "diff_id": info.diff_id, "instruction_line": info.line,
            "created_by": info.created_by, "base": info.base, "bytes_added": info.size,
            "bytes_removed_later": 0, "files_written_twice": 0}


def dive_figures(image) -> dict[str, Any]:
    nodes = _leaf_sizes(image)
    cumulative = {path: sum(sizes) for path, sizes in nodes.items()}
    minimum = sum(min(sizes) for sizes in nodes.values())
    discovered = sum(cumulative.values())
    repeated = [path for path, sizes in nodes.items() if len(sizes) >= 2]
    wasted = sum(cumulative[path] for path in repeated)
    sizes = [info.size for info in image.layers]
    user = sum(sizes[1:])
    worst = sorted(repeated, key=lambda path: (-cumulative[path], path))[:INEFFICIENCIES_SHOWN]
    return {
        "efficiency": minimum / discovered if discovered else 1.0,
        "wasted_bytes": wasted,
        "user_wasted_percent": wasted / user if user else 0.0,
        "size_bytes": sum(sizes),
        "user_size_bytes": user,
        "inefficiencies": [{"path": path, "count": len(nodes[path]), "cumulative_bytes": cumulative[path]}
                           for path in worst],
    }


def _leaf_sizes(image) -> dict[str, list[int]]:
    """Per path, the size dive notes for each layer where the path is a leaf entry."""
    explicit: dict[int, list[tuple[str, Any, int]]] = defaultdict(list)  # layer -> (path, event, index)
    parents: dict[int, set[str]] = defaultdict(set)
    for path, events in image.paths.items():
        for index, event in enumerate(events):
            if event.kind == "deleted" and not event.whiteout:
                continue  # hidden with a parent: no entry of its own in the tar
            explicit[event.layer].append((path, event, index))
            parents[event.layer].add(posixpath.dirname(path))
    nodes: dict[str, list[int]] = defaultdict(list)
    for layer, entries in explicit.items():
        has_children = _ancestors(parents[layer])
        for path, event, index in entries:
            if event.type == "dir" and path in has_children:
                continue
            if event.kind == "deleted":
                nodes[path].append(_whiteout_size(image, path, image.paths[path][:index], layer))
            else:
                nodes[path].append(event.size)
    return nodes


def _ancestors(directories: set[str]) -> set[str]:
    result: set[str] = set()
    for directory in directories:
        while directory not in result and directory != "/":
            result.add(directory)
            directory = posixpath.dirname(directory)
    return result


def _whiteout_size(image, path: str, before: list, layer: int) -> int:
    """A whiteout of a directory weighs what was below it; of anything else, nothing."""
    if not before or before[-1].kind == "deleted" or before[-1].type != "dir":
        return 0
    total = 0
    for child, events in image.under(path):
        if child == path:
            continue
        lower = [event for event in events if event.layer < layer]
        if lower and lower[-1].kind != "deleted":
            total += lower[-1].size
    return total
