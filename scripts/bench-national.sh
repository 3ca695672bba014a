#!/usr/bin/env bash
# Every benchmark at national scale; refreshes their sections of docs/benchmarks.md.
#   BENCH_DBS="postgresql sqlite" (default both), BENCH_SCALES="kabupaten provinsi nasional"
#   (the growth table needs at least two), BENCH_STAGES="scales ukg partnership deadline"
# 1. bench/national.py: every domain seeded at each scale, the database's size, the same
#    pages and jobs of Kota Pekalongan and Jawa Tengah timed at each scale.
# 2. bench/ukg.py: a 1,000,000-row UKG import among the nation's teachers, against the raw
#    bulk load, on each database.
# 3. bench/partnership.py: matching the national programme (no database).
# 4. bench/deadline.py: deadline-day load through gunicorn on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
DBS="${BENCH_DBS:-postgresql sqlite}"
SCALES="${BENCH_SCALES:-kabupaten provinsi nasional}"
STAGES="${BENCH_STAGES:-scales ukg partnership deadline}"
bash scripts/ensure-system.sh test
bash scripts/ensure-system.sh bench
work=$(mktemp -d /tmp/gugus-national.XXXXXX)
trap 'rm -rf "$work"' EXIT
out=bench/out
mkdir -p "$out"

on_db() {  # on_db DB NAME COMMAND...: run a bench against a fresh database of that kind
  local db=$1 name=$2
  shift 2
  if [ "$db" = postgresql ]; then
    GUGUS_VAR_DIR="$work/$name-pg" bash scripts/with-postgres.sh "$@"
  else
    GUGUS_VAR_DIR="$work/$name-sqlite" DATABASE_URL="sqlite:///$work/$name.sqlite3" "$@"
    rm -f "$work/$name.sqlite3"*
  fi
}
label() { [ "$1" = postgresql ] && echo PostgreSQL || echo SQLite; }

case " $STAGES " in *" scales "*)
  for scale in $SCALES; do
    for db in $DBS; do
      echo "== every domain at scale $scale on $(label "$db")"
      on_db "$db" "$scale" $BIN/python bench/national.py --db "$(label "$db")" \
        --scale "$scale" --out "$out/scale-$scale-$db.json"
    done
  done
  $BIN/python bench/report.py "$out"/scale-*.json ;;
esac

case " $STAGES " in *" ukg "*)
  for db in $DBS; do
    echo "== UKG import, 1,000,000 rows among the nation's teachers, on $(label "$db")"
    on_db "$db" ukg $BIN/python bench/ukg.py --db "$(label "$db")" --scale nasional \
      --rows 1000000 --out "$out/ukg-$db.json"
  done
  $BIN/python bench/report.py "$out"/ukg-*.json ;;
esac

case " $STAGES " in *" partnership "*)
  echo "== partnership matching at national size"
  $BIN/python bench/partnership.py --out "$out/partnership.json"
  $BIN/python bench/report.py "$out/partnership.json" ;;
esac

case " $STAGES " in *" deadline "*)
  echo "== deadline day: gunicorn on PostgreSQL under locust"
  on_db postgresql deadline $BIN/python bench/deadline.py --out "$out/deadline.json"
  $BIN/python bench/report.py "$out/deadline.json" ;;
esac
echo "Wrote docs/benchmarks.md"
