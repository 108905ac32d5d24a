"""The docker compose parser: YAML with positions, interpolation, project loading, validation.

``load_project`` is the entry point for rules; ``parse_yaml_text`` / ``read_yaml_file`` read a
single file; ``validate`` (imports jsonschema) checks a file against the compose specification.
"""

from twelvecheck.parse.compose.dotenv import Dotenv, DotenvEntry, parse_dotenv, read_dotenv
from twelvecheck.parse.compose.interpolate_tree import Interpolated, interpolate_tree
from twelvecheck.parse.compose.interpolation import Substitution, substitute
from twelvecheck.parse.compose.nodes import (
    OVERRIDE_TAG, RESET_TAG, ComposeError, Mapping, Node, Scalar, Sequence, VariableRef,
)
from twelvecheck.parse.compose.ports import PortBinding, PortRange
from twelvecheck.parse.compose.project import (
    ComposeFile, ComposeProject, discover_files, load_project,
)
from twelvecheck.parse.compose.service import BuildSpec, DependsOn, EnvVar, Service
from twelvecheck.parse.compose.volumes import VolumeMount
from twelvecheck.parse.compose.yamltree import Limits, YamlDocument, parse_yaml_bytes, parse_yaml_text, read_yaml_file


def validate(root: Node) -> list[ComposeError]:
    """Schema errors of one interpolated file (imports jsonschema on first use)."""
    from twelvecheck.parse.compose.validate import validate as validate_tree

    return validate_tree(root)


__all__ = [
    "BuildSpec", "ComposeError", "ComposeFile", "ComposeProject", "DependsOn", "Dotenv",
    "DotenvEntry", "EnvVar", "Interpolated", "Limits", "Mapping", "Node", "OVERRIDE_TAG",
    "PortBinding", "PortRange", "RESET_TAG", "Scalar", "Sequence", "Service", "Substitution",
    "VariableRef", "VolumeMount", "YamlDocument", "discover_files", "interpolate_tree",
    "load_project", "parse_dotenv", "parse_yaml_bytes", "parse_yaml_text", "read_dotenv",
    "read_yaml_file", "substitute", "validate",
]
