#!/usr/bin/env bash
# Set up (see setup.sh), then run every check CI runs: lint, types, import contracts, tests.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"

echo "== ruff"; ruff check . && ruff format --check .
echo "== mypy"; mypy
echo "== import contracts"; lint-imports
echo "== pytest"; pytest -q "$@"
