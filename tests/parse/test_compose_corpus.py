"""Every compose file of the shared corpus parses, loads as a project, and validates like
jsonschema does on independently loaded data.

The corpus files are copied at test time into a temporary tree that mirrors their original
repositories (``MANIFEST.tsv``'s ``repo`` and ``path``), so relative ``extends``, ``include``,
``env_file`` and ``.env`` files resolve as they do upstream.
"""

import csv
import shutil
import time
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from twelvecheck.parse.compose import (
    discover_files, load_project, read_yaml_file, substitute, validate,
)

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
CORPUS = SHARED / "corpus"

pytestmark = pytest.mark.skipif(
    not (CORPUS / "MANIFEST.tsv").is_file(), reason=f"shared corpus not found at {CORPUS}"
)


@pytest.fixture(scope="module")
def corpus_tree(tmp_path_factory) -> tuple[Path, list[Path]]:
    """(root of the rebuilt layout, the compose files in it)."""
    root = tmp_path_factory.mktemp("corpus")
    compose_files = []
    with (CORPUS / "MANIFEST.tsv").open(newline="") as manifest:
        for row in csv.DictReader(manifest, delimiter="\t"):
            if not row["file"].startswith(("compose/", "envfiles/")):
                continue
            destination = root / row["repo"] / row["path"]
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(CORPUS / row["file"], destination)
            if row["file"].startswith("compose/"):
                compose_files.append(destination)
    return root, compose_files


def test_every_file_parses_and_loads(corpus_tree):
    root, compose_files = corpus_tree
    directories = defaultdict(list)
    for path in compose_files:
        directories[path.parent].append(path)
    started = time.perf_counter()
    parse_failures = [p for p in compose_files if read_yaml_file(p).errors]
    projects = [load_project([path], env={}) for path in compose_files]
    projects += [load_project([d], env={}) for d in directories if discover_files(d)]
    elapsed = time.perf_counter() - started
    print(f"\ncompose corpus: {len(compose_files)} files parsed, {len(projects)} projects "
          f"loaded from {len(directories)} directories in {elapsed:.2f} s")
    assert [str(p.relative_to(root)) for p in parse_failures] == []
    assert len(compose_files) == 253
    assert all(project.model is not None for project in projects)


class _PlainLoader(yaml.SafeLoader):
    """PyYAML's own construction, for comparison: compose tags are markers, dates stay text."""


_PlainLoader.add_constructor("!reset", lambda loader, node: _construct_untagged(loader, node))
_PlainLoader.add_constructor("!override", lambda loader, node: _construct_untagged(loader, node))
_PlainLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
)


def _construct_untagged(loader, node):
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_scalar(node) or None


def _interpolated(value, env):
    if isinstance(value, dict):
        return {str(k): _interpolated(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [_interpolated(v, env) for v in value]
    return substitute(value, env).value if isinstance(value, str) else value


def test_validation_agrees_with_jsonschema(corpus_tree):
    import jsonschema

    _, compose_files = corpus_tree
    schema = __import__("json").loads((SHARED / "schemas" / "compose-spec.json").read_text())
    checker = jsonschema.Draft7Validator(schema)
    agreed, invalid, disagreed = 0, 0, []
    for path in compose_files:
        project = load_project([path], env={})
        ours = validate(project.files[0].root)
        data = _interpolated(yaml.load(path.read_text(), _PlainLoader) or {}, project.environment)
        theirs = list(checker.iter_errors(data))
        invalid += bool(theirs)
        if bool(ours) == bool(theirs):
            agreed += 1
        else:
            disagreed.append((path.name, [e.message for e in ours], [e.message for e in theirs]))
    print(f"\nvalidation agrees with jsonschema on {agreed}/{len(compose_files)} files "
          f"({invalid} invalid per jsonschema)")
    assert disagreed == []
