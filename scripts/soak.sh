#!/usr/bin/env bash
# The long soak: a fresh `make prod` on free ports, mixed traffic of every role for
# SOAK_SECONDS (600) with SOAK_USERS (40) users, PostgreSQL restarted in the middle;
# writes its section of docs/reliability.md.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
bash scripts/ensure-system.sh test
prod_dir=$(mktemp -d /tmp/gugus-soak.XXXXXX)
chmod 755 "$prod_dir"
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
export GUGUS_PROD_DIR=$prod_dir GUGUS_PROD_HTTPS_PORT=$(free_port) \
  GUGUS_PROD_HTTP_PORT=$(free_port) GUGUS_PROD_APP_PORT=$(free_port) GUGUS_PROD_PG_PORT=$(free_port)
trap 'bash scripts/prod.sh stop >/dev/null; rm -rf "$prod_dir"' EXIT
make --no-print-directory prod
mkdir -p drills/out
$BIN/python drills/soak.py --prod-dir "$prod_dir" --seconds "${SOAK_SECONDS:-600}" \
  --users "${SOAK_USERS:-40}" --out drills/out/soak.json
$BIN/python drills/report.py soak drills/out/soak.json
