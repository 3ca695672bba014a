#!/usr/bin/env bash
# Benchmarks on SQLite and PostgreSQL; writes docs/benchmarks.md.
#   SCALE=provinsi (default) | kabupaten | nasional   (lists, seed, activeness)
#   UKG_SCALE=nasional (default), UKG_ROWS=1000000   (UKG import and competency map)
# The partnership matching bench needs no database; refresh its section alone with
#   .venv/bin/python bench/partnership.py --out bench/out/partnership.json
#   .venv/bin/python bench/report.py bench/out/partnership.json
# The bulk-certificate bench seeds its own events; refresh its section alone with
#   .venv/bin/python bench/report.py bench/out/certificates-*.json
# The dashboards bench seeds its own scale (INSIGHTS_SCALE=nasional by default); refresh
# its section alone with
#   .venv/bin/python bench/report.py bench/out/insights-*.json
# The deadline-day bench seeds its own schools; refresh its section alone with
#   scripts/with-postgres.sh .venv/bin/python bench/deadline.py --out bench/out/deadline.json
#   .venv/bin/python bench/report.py bench/out/deadline.json
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
SCALE="${SCALE:-provinsi}"
bash scripts/ensure-system.sh test
bash scripts/ensure-system.sh bench
work=$(mktemp -d /tmp/gugus-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
out=bench/out  # the raw figures stay here (not committed) for re-rendering the report
mkdir -p "$out"

echo "== SQLite, scale $SCALE"
GUGUS_VAR_DIR="$work/sqlite" DATABASE_URL="sqlite:///$work/bench.sqlite3" \
  $BIN/python bench/run.py --db SQLite --scale "$SCALE" --out "$out/sqlite.json"

echo "== PostgreSQL, scale $SCALE"
GUGUS_VAR_DIR="$work/pg" bash scripts/with-postgres.sh \
  $BIN/python bench/run.py --db PostgreSQL --scale "$SCALE" --out "$out/postgresql.json"

UKG_SCALE="${UKG_SCALE:-nasional}"
UKG_ROWS="${UKG_ROWS:-1000000}"
echo "== UKG on SQLite, scale $UKG_SCALE"
GUGUS_VAR_DIR="$work/ukg-sqlite" DATABASE_URL="sqlite:///$work/ukg.sqlite3" \
  $BIN/python bench/ukg.py --db SQLite --scale "$UKG_SCALE" --rows "$UKG_ROWS" \
  --out "$out/ukg-sqlite.json"

echo "== UKG on PostgreSQL, scale $UKG_SCALE"
GUGUS_VAR_DIR="$work/ukg-pg" bash scripts/with-postgres.sh \
  $BIN/python bench/ukg.py --db PostgreSQL --scale "$UKG_SCALE" --rows "$UKG_ROWS" \
  --out "$out/ukg-postgresql.json"

echo "== partnership matching (no database)"
$BIN/python bench/partnership.py --out "$out/partnership.json"

echo "== deadline day: gunicorn on PostgreSQL under locust"
GUGUS_VAR_DIR="$work/deadline" bash scripts/with-postgres.sh \
  $BIN/python bench/deadline.py --out "$out/deadline.json"

echo "== bulk certificates (seed 004's 342) on SQLite and PostgreSQL"
GUGUS_VAR_DIR="$work/certificates-sqlite" DATABASE_URL="sqlite:///$work/certificates.sqlite3" \
  $BIN/python bench/certificates.py --db SQLite --out "$out/certificates-sqlite.json"
GUGUS_VAR_DIR="$work/certificates-pg" bash scripts/with-postgres.sh \
  $BIN/python bench/certificates.py --db PostgreSQL --out "$out/certificates-postgresql.json"

INSIGHTS_SCALE="${INSIGHTS_SCALE:-nasional}"
echo "== dashboards and home pages on SQLite, scale $INSIGHTS_SCALE"
GUGUS_VAR_DIR="$work/insights-sqlite" DATABASE_URL="sqlite:///$work/insights.sqlite3" \
  $BIN/python bench/insights.py --db SQLite --scale "$INSIGHTS_SCALE" \
  --out "$out/insights-sqlite.json"
echo "== dashboards and home pages on PostgreSQL, scale $INSIGHTS_SCALE"
GUGUS_VAR_DIR="$work/insights-pg" bash scripts/with-postgres.sh \
  $BIN/python bench/insights.py --db PostgreSQL --scale "$INSIGHTS_SCALE" \
  --out "$out/insights-postgresql.json"

$BIN/python bench/report.py "$out/sqlite.json" "$out/postgresql.json" \
  "$out/ukg-sqlite.json" "$out/ukg-postgresql.json" "$out/partnership.json" \
  "$out/deadline.json" "$out/certificates-sqlite.json" "$out/certificates-postgresql.json" \
  "$out/insights-sqlite.json" "$out/insights-postgresql.json"
echo "Wrote docs/benchmarks.md"
