#!/usr/bin/env bash
# Set up (see setup.sh), then run every check CI runs: lint, types, import contracts, tests.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"

# The storage suite runs on SQLite and on PostgreSQL; without the server it must fail, not skip.
export ROADMAP_TEST_POSTGRES_URL=${ROADMAP_TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/test}
python - <<'PY' || { echo "test: PostgreSQL is not reachable at $ROADMAP_TEST_POSTGRES_URL" >&2; exit 1; }
import os, psycopg
psycopg.connect(os.environ["ROADMAP_TEST_POSTGRES_URL"], connect_timeout=5).close()
PY

# Debian packages the tests drive, installed when missing (the package lists are refreshed
# once first: on a new machine they may be stale).
UPDATED=""
apt_install() {
  if [ "$(id -u)" = 0 ]; then APT=apt-get; else APT="sudo apt-get"; fi
  if [ -z "$UPDATED" ]; then $APT update -q >/dev/null; UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive $APT install -y -q "$@" >/dev/null
}

# The intake page's end-to-end test drives Debian's Chromium (Playwright's own download does
# not work on this network).
if ! command -v chromium >/dev/null; then
  echo "test: installing Debian's chromium for the browser tests"
  apt_install chromium
fi

# The report tests render the Word report to pages as an official sees them: LibreOffice
# lays it out (soffice), poppler reads the pages back (pdftotext, pdftoppm).
if ! command -v soffice >/dev/null || ! command -v pdftotext >/dev/null; then
  echo "test: installing Debian's LibreOffice Writer and poppler for the rendered-report tests"
  apt_install libreoffice-writer-nogui poppler-utils
fi

# The mail tests read replies from a real IMAP server they start themselves: Debian's Dovecot
# as a user-level instance on a loopback port (tests/mailserver.py); only the package is needed.
if ! command -v dovecot >/dev/null && [ ! -x /usr/sbin/dovecot ]; then
  echo "test: installing Debian's Dovecot for the mail tests"
  apt_install dovecot-imapd
fi

echo "== ruff"
ruff check .
ruff format --check .
echo "== mypy"; mypy
echo "== import contracts"; lint-imports
echo "== pytest"
# three processes, each given whole files, the longest first (tests/conftest.py, FIRST); a
# test that restarts the shared PostgreSQL server runs after them, alone
pytest -q -n 3 --dist loadfile --no-loadscope-reorder --durations=15 -m "not alone" "$@"
pytest -q -m alone "$@" || [ $? -eq 5 ]  # 5: a narrower run asked for none of them
