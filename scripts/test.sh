#!/usr/bin/env bash
# Installs what the test suite needs on a fresh Debian machine, then runs it.
# Usage: bash scripts/test.sh [pytest args]
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages some tests use (the builder's sandbox and OCI validators, a local registry, a browser for the HTML
# report, mmdebstrap for the Debian base image of tests/debian_base.py); tests that need a missing one skip with a
# reason. Installed only when absent, and only as root.
packages=(bubblewrap runc umoci skopeo busybox-static docker.io docker-registry chromium mmdebstrap)
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing Debian packages: ${missing[*]}"
  apt-get update -qq || echo "warning: apt-get update failed"
  # One at a time, so a package that cannot be installed does not keep the others out.
  for package in "${missing[@]}"; do
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null \
      || echo "warning: could not install $package; the tests that need it will skip"
  done
fi

python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
.venv/bin/python -m pip install -q -e '.[test]'
exec .venv/bin/python -m pytest -n auto -p no:cacheprovider "$@"
