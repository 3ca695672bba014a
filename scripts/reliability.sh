#!/usr/bin/env bash
# The long reliability drills; each writes its section of docs/reliability.md.
#   scripts/reliability.sh [restore] [workers] [hostile]   (default: all; the soak is
#   scripts/soak.sh, which starts its own `make prod`)
#   RELIABILITY_DBS="postgresql sqlite" (default both), RESTORE_SCALE (provinsi),
#   RESTORE_FILES (5000), KILL_ROUNDS (25 kills per job)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export GUGUS_DEBUG="${GUGUS_DEBUG:-1}"
DBS="${RELIABILITY_DBS:-postgresql sqlite}"
STAGES="${*:-restore workers hostile}"
bash scripts/ensure-system.sh test
work=$(mktemp -d /tmp/gugus-drill.XXXXXX)
trap 'rm -rf "$work"' EXIT
out=drills/out
mkdir -p "$out"

on_db() {  # on_db DB NAME COMMAND...: run against a fresh database of that kind
  local db=$1 name=$2
  shift 2
  if [ "$db" = postgresql ]; then
    GUGUS_VAR_DIR="$work/$name-pg" bash scripts/with-postgres.sh "$@"
  else
    GUGUS_VAR_DIR="$work/$name-sqlite" DATABASE_URL="sqlite:///$work/$name.sqlite3" "$@"
  fi
  rm -rf "$work/$name"*
}
label() { [ "$1" = postgresql ] && echo PostgreSQL || echo SQLite; }
run_tests() {  # run_tests DB NAME VAR=VALUE... TEST: a test module on a fresh database of that kind
  local db=$1 name=$2
  shift 2
  mkdir -p "$work/$name-$db"
  if [ "$db" = postgresql ]; then
    env GUGUS_VAR_DIR="$work/$name-$db" "${@:1:$#-1}" \
      bash scripts/with-postgres.sh $BIN/pytest -p no:cacheprovider -q "${@: -1}"
  else
    env GUGUS_VAR_DIR="$work/$name-$db" "${@:1:$#-1}" $BIN/pytest -p no:cacheprovider -q "${@: -1}"
  fi
}

case " $STAGES " in *" restore "*)
  rm -f "$out"/restore-*.json
  for db in $DBS; do
    echo "== backup and restore at scale ${RESTORE_SCALE:-provinsi} on $(label "$db")"
    on_db "$db" restore $BIN/python drills/restore.py --db "$(label "$db")" \
      --scale "${RESTORE_SCALE:-provinsi}" --files "${RESTORE_FILES:-5000}" \
      --out "$out/restore-$db.json"
  done
  $BIN/python drills/report.py restore "$out"/restore-*.json ;;
esac

case " $STAGES " in *" workers "*)
  for db in $DBS; do
    echo "== workers killed mid-job, ${KILL_ROUNDS:-25} times per job, on $(label "$db")"
    report="$PWD/$out/workers-$db.jsonl"
    rm -f "$report"
    run_tests "$db" kill GUGUS_KILL_ROUNDS="${KILL_ROUNDS:-25}" GUGUS_KILL_REPORT="$report" \
      tests/reliability/test_worker_killed.py
  done
  $BIN/python drills/report.py workers "$out"/workers-*.jsonl ;;
esac

case " $STAGES " in *" hostile "*)
  for db in $DBS; do
    echo "== hostile files offered to every import on $(label "$db")"
    report="$PWD/$out/hostile-$db.jsonl"
    rm -f "$report"
    run_tests "$db" hostile GUGUS_HOSTILE_REPORT="$report" tests/reliability/test_hostile_files.py
  done
  $BIN/python drills/report.py hostile "$out"/hostile-*.jsonl ;;
esac
