"""The docker compose parser: YAML with positions, interpolation, project loading, validation."""
