#!/usr/bin/env bash
# The main job on the embedded defaults: set up, then run everything on this machine
# (a local Prefect server on SQLite, the program synced, all deployments served, messages in
# the file outbox under ROADMAP_HOME). Ctrl-C stops it all.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/roadmap up "$@"
