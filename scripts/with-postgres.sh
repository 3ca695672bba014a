#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL cluster on a free local port:
#   scripts/with-postgres.sh pytest ...
# DATABASE_URL points at it for the command; the cluster is removed afterwards.
# GUGUS_PG_OPTIONS adds server settings ("-c name=value ...").
# GUGUS_PG_REPLICA=1 adds a streaming replica of that cluster on another free port
# (DATABASE_REPLICA_URLS points at it).
set -euo pipefail

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$pg_bin/initdb" ] || { echo "PostgreSQL server binaries not found" >&2; exit 1; }
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
port=$(free_port)
dir=$(mktemp -d /tmp/gugus-pg.XXXXXX)
chmod 755 "$dir"

run_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
[ "$(id -u)" = 0 ] && chown postgres "$dir"

cleanup() {
  if [ -d "$dir/replica" ]; then
    run_pg "$pg_bin/pg_ctl" -D "$dir/replica" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  run_pg "$pg_bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT

run_pg "$pg_bin/initdb" -D "$dir/data" -U gugus -A trust -E UTF8 --locale=C.UTF-8 \
  --no-sync >/dev/null
# Durability is pointless for a throwaway test cluster; speed is not.
run_pg "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -o \
  "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off ${GUGUS_PG_OPTIONS:-}" \
  start >/dev/null
echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
export DATABASE_URL="postgres://gugus@127.0.0.1:$port/gugus"
run_pg "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U gugus gugus
if [ "${GUGUS_PG_REPLICA:-}" = 1 ]; then
  replica_port=$(free_port)
  run_pg "$pg_bin/pg_basebackup" -h 127.0.0.1 -p "$port" -U gugus -D "$dir/replica" \
    --write-recovery-conf --wal-method=stream --checkpoint=fast --no-sync
  run_pg "$pg_bin/pg_ctl" -D "$dir/replica" -l "$dir/replica.log" -w -o \
    "-p $replica_port -k $dir -c listen_addresses=127.0.0.1 -c hot_standby=on -c fsync=off" \
    start >/dev/null
  echo "Streaming replica on 127.0.0.1:$replica_port"
  export DATABASE_REPLICA_URLS="postgres://gugus@127.0.0.1:$replica_port/gugus"
fi
"$@"
