#!/usr/bin/env bash
# The shell step of action.yml: install twelvecheck, lint, write SARIF and HTML, annotate the run.
# Inputs come as environment variables (composite actions pass them explicitly); the exit code
# is twelvecheck's, after every report is written, so the SARIF upload step still has a file.
set -euo pipefail

if [ "${INPUT_INSTALL:-true}" = "true" ]; then
  python -m pip install --quiet --disable-pip-version-check "${INPUT_PACKAGE:-$GITHUB_ACTION_PATH}"
fi

annotations="${RUNNER_TEMP:-/tmp}/twelvecheck-annotations.txt"
status=0
# shellcheck disable=SC2086  # INPUT_PATHS is a space-separated list of paths
twelvecheck lint \
  --format github -o "$annotations" \
  --format sarif -o "$INPUT_SARIF" \
  --format html -o "$INPUT_HTML" \
  ${INPUT_PATHS:-.} || status=$?
cat "$annotations"
echo "exit-code=$status" >> "$GITHUB_OUTPUT"
exit "$status"
