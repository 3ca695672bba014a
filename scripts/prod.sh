#!/usr/bin/env bash
# Gugus as in production, on this machine (`make prod`, `make prod-stop`):
#   PostgreSQL  a cluster of its own under $GUGUS_PROD_DIR/pg, password authentication
#   gunicorn    several sync workers on a loopback port (deploy/gunicorn.conf.py)
#   worker      `gugus worker` for the background jobs
#   nginx       TLS (a self-signed certificate for 127.0.0.1), static files from disk,
#               everything else proxied to gunicorn (deploy/nginx-site.conf)
# Production mode: no GUGUS_DEBUG; the settings come from $GUGUS_PROD_DIR/gugus.env, written
# on the first start (a random SECRET_KEY and database password, the ports) and read as
# environment variables ever after. Both commands are idempotent: `start` starts what is
# not running and `stop` stops what is.
#   GUGUS_PROD_DIR (var/prod), GUGUS_PROD_HTTPS_PORT (8443), GUGUS_PROD_HTTP_PORT (8080),
#   GUGUS_PROD_APP_PORT (8001), GUGUS_PROD_PG_PORT (5442) choose where, on the first start.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=$ROOT/.venv/bin
DIR=$(realpath -m "${GUGUS_PROD_DIR:-var/prod}")
ENV_FILE=$DIR/gugus.env
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

alive() {  # alive PIDFILE: the process it names is running
  [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

write_env() {
  [ -s "$ENV_FILE" ] && return
  mkdir -p "$DIR"
  local https=${GUGUS_PROD_HTTPS_PORT:-8443} http=${GUGUS_PROD_HTTP_PORT:-8080}
  local app=${GUGUS_PROD_APP_PORT:-8001} pg=${GUGUS_PROD_PG_PORT:-5442}
  local password
  password=$(python3 -c 'import secrets; print(secrets.token_hex(24))')
  umask 077
  cat > "$ENV_FILE" <<ENV
# Gugus production settings for this machine (scripts/prod.sh); edit and restart to change.
SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')
DATABASE_URL=postgres://gugus:$password@127.0.0.1:$pg/gugus
GUGUS_PG_PASSWORD=$password
GUGUS_PG_PORT=$pg
ALLOWED_HOSTS=127.0.0.1,localhost
CSRF_TRUSTED_ORIGINS=https://127.0.0.1:$https,https://localhost:$https
GUGUS_BASE_URL=https://127.0.0.1:$https
GUGUS_VAR_DIR=$DIR
GUGUS_APP_BIND=127.0.0.1:$app
GUGUS_HTTPS_PORT=$https
GUGUS_HTTP_PORT=$http
GUGUS_PROXY_COUNT=1
GUGUS_CONN_MAX_AGE=60
ENV
  umask 022
}

load_env() {
  set -a
  # shellcheck disable=SC1090
  . "$ENV_FILE"
  set +a
  unset GUGUS_DEBUG GUGUS_TODAY
}

start_postgres() {
  local data=$DIR/pg/data
  mkdir -p "$DIR/pg"
  [ "$(id -u)" = 0 ] && chown postgres "$DIR/pg"
  if [ ! -s "$data/PG_VERSION" ]; then
    local pwfile=$DIR/pg/.pw
    printf '%s\n' "$GUGUS_PG_PASSWORD" > "$pwfile"
    [ "$(id -u)" = 0 ] && chown postgres "$pwfile"
    as_postgres "$PG_BIN/initdb" -D "$data" -U gugus --pwfile="$pwfile" -A scram-sha-256 \
      -E UTF8 --locale=C.UTF-8 >/dev/null
    rm -f "$pwfile"
  fi
  if ! as_postgres "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    as_postgres "$PG_BIN/pg_ctl" -D "$data" -l "$DIR/pg/log" -w -o \
      "-p $GUGUS_PG_PORT -k $DIR/pg -c listen_addresses=127.0.0.1" start >/dev/null
  fi
  if ! PGPASSWORD=$GUGUS_PG_PASSWORD "$PG_BIN/psql" -h 127.0.0.1 -p "$GUGUS_PG_PORT" -U gugus \
      -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'gugus'" | grep -q 1; then
    PGPASSWORD=$GUGUS_PG_PASSWORD "$PG_BIN/createdb" -h 127.0.0.1 -p "$GUGUS_PG_PORT" -U gugus gugus
  fi
}

tls_certificate() {
  local tls=$DIR/tls
  [ -s "$tls/cert.pem" ] && return
  mkdir -p "$tls"
  openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=127.0.0.1" \
    -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
    -keyout "$tls/key.pem" -out "$tls/cert.pem" 2>/dev/null
  chmod 600 "$tls/key.pem"
}

nginx_config() {
  local conf=$DIR/nginx
  mkdir -p "$conf/temp" "$DIR/log"
  local user=""
  [ "$(id -u)" = 0 ] && user="user www-data;"
  sed -e "s|@APP_ADDR@|$GUGUS_APP_BIND|" \
      -e "s|@HTTP_LISTEN@|127.0.0.1:$GUGUS_HTTP_PORT|" \
      -e "s|@HTTPS_LISTEN@|127.0.0.1:$GUGUS_HTTPS_PORT|" \
      -e "s|@HTTPS_PORT@|$GUGUS_HTTPS_PORT|" \
      -e "s|@SERVER_NAME@|127.0.0.1 localhost|" \
      -e "s|@TLS_CERT@|$DIR/tls/cert.pem|" \
      -e "s|@TLS_KEY@|$DIR/tls/key.pem|" \
      -e "s|@STATIC_ROOT@|$DIR/static|" \
      deploy/nginx-site.conf > "$conf/gugus.conf"
  cat > "$conf/nginx.conf" <<CONF
$user
worker_processes auto;
pid $conf/nginx.pid;
error_log $DIR/log/nginx-error.log warn;
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    server_tokens off;
    access_log $DIR/log/nginx-access.log;
    client_body_temp_path $conf/temp/body;
    proxy_temp_path $conf/temp/proxy;
    fastcgi_temp_path $conf/temp/fastcgi;
    uwsgi_temp_path $conf/temp/uwsgi;
    scgi_temp_path $conf/temp/scgi;
    include $conf/gugus.conf;
}
CONF
}

wait_for() {  # wait_for URL: until it answers 200, or fail after 60 s
  for _i in $(seq 1 120); do
    if python3 -c "import ssl,sys,urllib.request as u; u.urlopen(sys.argv[1], timeout=2, context=ssl._create_unverified_context())" "$1" 2>/dev/null; then
      return 0
    fi
    sleep 0.5
  done
  echo "Gugus did not answer $1; see $DIR/log/" >&2
  return 1
}

start() {
  bash scripts/ensure-system.sh prod
  write_env
  load_env
  mkdir -p "$DIR/log" "$DIR/run" "$DIR/media"
  start_postgres
  "$BIN/gugus" migrate --noinput -v 0
  "$BIN/gugus" collectstatic --noinput -v 0
  if ! alive "$DIR/run/gunicorn.pid"; then
    "$BIN/gunicorn" gugus.wsgi -c deploy/gunicorn.conf.py --daemon \
      --pid "$DIR/run/gunicorn.pid" \
      --access-logfile "$DIR/log/gunicorn-access.log" --error-logfile "$DIR/log/gunicorn.log"
  fi
  if ! alive "$DIR/run/worker.pid"; then
    nohup "$BIN/gugus" worker --queue-name '*' >> "$DIR/log/worker.log" 2>&1 &
    echo $! > "$DIR/run/worker.pid"
  fi
  tls_certificate
  nginx_config
  "$NGINX" -t -q -c "$DIR/nginx/nginx.conf" -p "$DIR/nginx"
  if alive "$DIR/nginx/nginx.pid"; then
    "$NGINX" -s reload -c "$DIR/nginx/nginx.conf" -p "$DIR/nginx" 2>/dev/null
  else
    "$NGINX" -c "$DIR/nginx/nginx.conf" -p "$DIR/nginx"
  fi
  wait_for "https://127.0.0.1:$GUGUS_HTTPS_PORT/healthz"
  echo "Gugus (production mode, PostgreSQL on 127.0.0.1:$GUGUS_PG_PORT):"
  echo "  https://127.0.0.1:$GUGUS_HTTPS_PORT/  (self-signed certificate: $DIR/tls/cert.pem)"
  echo "  settings: $ENV_FILE; logs: $DIR/log/; stop with: make prod-stop"
  echo "  first administrator: set -a; . $ENV_FILE; set +a; .venv/bin/gugus createsuperuser"
}

stop_pid() {  # stop_pid PIDFILE: TERM, then wait up to 30 s
  alive "$1" || { rm -f "$1"; return 0; }
  local pid
  pid=$(cat "$1")
  kill -TERM "$pid"
  for _i in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$1"
}

stop() {
  [ -d "$DIR" ] || { echo "Nothing to stop under $DIR."; return 0; }
  if alive "$DIR/nginx/nginx.pid"; then
    "$NGINX" -s quit -c "$DIR/nginx/nginx.conf" -p "$DIR/nginx" 2>/dev/null
    for _i in $(seq 1 60); do alive "$DIR/nginx/nginx.pid" || break; sleep 0.5; done
  fi
  stop_pid "$DIR/run/worker.pid"
  stop_pid "$DIR/run/gunicorn.pid"
  if [ -s "$DIR/pg/data/PG_VERSION" ] && as_postgres "$PG_BIN/pg_ctl" -D "$DIR/pg/data" status >/dev/null 2>&1; then
    as_postgres "$PG_BIN/pg_ctl" -D "$DIR/pg/data" -m fast -w stop >/dev/null
  fi
  echo "Gugus stopped (data kept under $DIR)."
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
