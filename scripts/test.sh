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

echo "== chart screenshots for review: ${GUGUS_TEST_OUTPUT:-var/test-output}/charts/"
