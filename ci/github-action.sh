#!/usr/bin/env bash
# The shell step of action.yml: install twelvecheck, audit the repository, write SARIF and HTML,
# annotate the run and put the scorecard in the job summary. Inputs come as environment
# variables (composite actions pass them explicitly); the exit code is twelvecheck's, after every
# report is written, so the upload steps still have their files.
set -euo pipefail

if [ "${INPUT_INSTALL:-true}" = "true" ]; then
  python -m pip install --quiet --disable-pip-version-check "${INPUT_PACKAGE:-$GITHUB_ACTION_PATH}"
fi

# Extra arguments are split on whitespace like a shell would, but never glob-expanded.
read -r -a extra <<< "${INPUT_ARGS:-}"
reports="${RUNNER_TEMP:-/tmp}"
status=0
twelvecheck audit \
  --format github -o "$reports/twelvecheck-annotations.txt" \
  --format text -o "$reports/twelvecheck.txt" \
  --format sarif -o "${INPUT_SARIF:-twelvecheck.sarif}" \
  --format html -o "${INPUT_HTML:-twelvecheck.html}" \
  --fail-on "${INPUT_FAIL_ON:-warning}" \
  "${extra[@]}" \
  -- "${INPUT_PATH:-.}" || status=$?
cat "$reports/twelvecheck-annotations.txt"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ -f "$reports/twelvecheck.txt" ]; then
  { echo '### twelvecheck audit'; echo '```'; cat "$reports/twelvecheck.txt"; echo '```'; } >> "$GITHUB_STEP_SUMMARY"
fi
echo "exit-code=$status" >> "$GITHUB_OUTPUT"
exit "$status"
