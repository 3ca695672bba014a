#!/usr/bin/env bash
# The web server and the background-job worker side by side; stopping one stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PORT="${1:-8000}"

$BIN/gugus worker --queue-name '*' --interval 1 &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM
$BIN/gugus runserver "127.0.0.1:$PORT"
