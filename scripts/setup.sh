#!/usr/bin/env bash
# Create .venv with Python 3.11 and install the project with its test tools, pinned by
# constraints.txt. Safe to run again: pip only installs what is missing or different.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3.11}
if ! command -v "$PYTHON" >/dev/null; then
  echo "setup: $PYTHON not found; install Python 3.11 or set PYTHON=/path/to/python3.11" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check \
  -c constraints.txt -e ".[test]"
echo "setup: .venv ready ($(.venv/bin/python --version))"
