#!/usr/bin/env bash
# Set up (scripts/setup.sh), then run the benchmarks: all, or those named
# (expand status simulate outbox up forecast warning fewpoints). Figures go to stdout and bench/latest.md.
# The status benchmark needs PostgreSQL (ROADMAP_BENCH_POSTGRES_URL, default the local server).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m bench "$@"
