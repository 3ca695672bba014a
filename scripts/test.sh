#!/usr/bin/env bash
# The whole suite: lint, schema checks, then pytest on SQLite and on PostgreSQL
# (browser tests included, in headless Debian Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export GUGUS_DEBUG="${GUGUS_DEBUG:-1}"
export GUGUS_VAR_DIR="${GUGUS_VAR_DIR:-$(mktemp -d /tmp/gugus-test-var.XXXXXX)}"

bash scripts/ensure-system.sh test

echo "== ruff"
$BIN/ruff check .
$BIN/ruff format --check .

echo "== migrations are up to date"
$BIN/gugus makemigrations --check --dry-run

echo "== pytest on SQLite"
$BIN/pytest -p no:cacheprovider -n "${GUGUS_TEST_WORKERS:-2}" "$@"

echo "== pytest on PostgreSQL"
# No autovacuum: it would give the planner the statistics of the few rows a test once
# committed, and a later test that loads thousands inside its transaction would then be
# planned as if its tables were near-empty (nested scans taking minutes). Never-analysed
# tables are planned from their actual size.
export GUGUS_PG_OPTIONS="${GUGUS_PG_OPTIONS:--c autovacuum=off}"
bash scripts/with-postgres.sh $BIN/pytest -p no:cacheprovider -n "${GUGUS_TEST_WORKERS:-2}" "$@"

if [ $# -gt 0 ]; then
  echo "== production stack and read replica: not run (pytest was given arguments: $*)"
else
  echo "== read replica: the router against two PostgreSQL clusters in streaming replication"
  GUGUS_PG_REPLICA=1 bash scripts/with-postgres.sh $BIN/pytest -p no:cacheprovider tests/replication

  echo "== production stack: make prod (PostgreSQL, gunicorn, worker, nginx with TLS)"
  prod_dir=$(mktemp -d /tmp/gugus-prod.XXXXXX)
  chmod 755 "$prod_dir"
  free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
  }
  export GUGUS_PROD_DIR=$prod_dir GUGUS_PROD_HTTPS_PORT=$(free_port) \
    GUGUS_PROD_HTTP_PORT=$(free_port) GUGUS_PROD_APP_PORT=$(free_port) GUGUS_PROD_PG_PORT=$(free_port)
  trap 'bash scripts/prod.sh stop >/dev/null; rm -rf "$prod_dir"' EXIT
  make --no-print-directory prod
  make --no-print-directory prod >/dev/null  # again: it starts only what is not running
  $BIN/pytest -p no:cacheprovider tests/prod
  make --no-print-directory prod-stop
  make --no-print-directory prod-stop  # again: nothing left to stop
fi

echo "== chart screenshots for review: ${GUGUS_TEST_OUTPUT:-var/test-output}/charts/"
