#!/usr/bin/env bash
# Benchmarks on SQLite and PostgreSQL; writes docs/benchmarks.md.
#   SCALE=provinsi (default) | kabupaten | nasional
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
SCALE="${SCALE:-provinsi}"
bash scripts/ensure-system.sh test
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

$BIN/python bench/report.py "$out/sqlite.json" "$out/postgresql.json"
echo "Wrote docs/benchmarks.md"
