#!/usr/bin/env bash
# Installs the Debian packages a step needs when they are missing.
#   python   - venv support for Debian's Python 3.11, Pango for PDF reports (WeasyPrint)
#   test     - PostgreSQL 15 server, Chromium and poppler (PDF to image) for the suite
#   bench    - the sqlite3 shell (the raw bulk load the UKG import is compared with)
#   prod     - PostgreSQL 15 server, nginx and openssl for `make prod`
set -euo pipefail

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "Please install as root: $*" >&2; exit 1; fi
}

apt_install() {
  local updated=/tmp/.gugus-apt-updated
  if [ ! -e "$updated" ]; then as_root apt-get update -qq; touch "$updated"; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

case "${1:-}" in
  python)
    missing=()
    python3 -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
    for lib in libpango-1.0.so.0 libpangoft2-1.0.so.0 libharfbuzz-subset.so.0; do
      /sbin/ldconfig -p | grep -q "$lib" || missing+=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
    done
    fc-list 2>/dev/null | grep -qi dejavu || missing+=(fonts-dejavu-core)
    if [ ${#missing[@]} -gt 0 ]; then
      echo "Installing Debian packages: ${missing[*]}"
      apt_install $(printf '%s\n' "${missing[@]}" | sort -u)
    fi
    ;;
  test)
    missing=()
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    { [ -n "$pg_bin" ] && [ -x "$pg_bin/initdb" ]; } || missing+=(postgresql)
    command -v chromium >/dev/null || missing+=(chromium)
    fc-list 2>/dev/null | grep -qi dejavu || missing+=(fonts-dejavu-core)
    command -v msgfmt >/dev/null || missing+=(gettext)
    command -v pdftoppm >/dev/null || missing+=(poppler-utils)
    if [ ${#missing[@]} -gt 0 ]; then
      echo "Installing Debian packages: ${missing[*]}"
      apt_install "${missing[@]}"
    fi
    ;;
  prod)
    missing=()
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    { [ -n "$pg_bin" ] && [ -x "$pg_bin/initdb" ]; } || missing+=(postgresql)
    command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
    command -v openssl >/dev/null || missing+=(openssl)
    if [ ${#missing[@]} -gt 0 ]; then
      echo "Installing Debian packages: ${missing[*]}"
      apt_install "${missing[@]}"
      # The package's own nginx service is not the one Gugus runs.
      if command -v systemctl >/dev/null && systemctl is-active -q nginx 2>/dev/null; then
        as_root systemctl disable --now nginx
      fi
    fi
    ;;
  bench)
    command -v sqlite3 >/dev/null || apt_install sqlite3
    ;;
  *) echo "usage: $0 python|test|bench|prod" >&2; exit 2 ;;
esac
