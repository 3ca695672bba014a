"""gunicorn settings for Gugus, read from the environment (`make prod` and the systemd unit
use this file)."""

import multiprocessing
import os

bind = os.environ.get("GUGUS_APP_BIND", "127.0.0.1:8001")
# Sync workers: each request's work is database-bound and short; twice the cores plus one
# keeps the cores busy while some workers wait on PostgreSQL.
workers = int(os.environ.get("GUGUS_WEB_WORKERS", str(2 * multiprocessing.cpu_count() + 1)))
timeout = int(os.environ.get("GUGUS_WEB_TIMEOUT", "120"))
graceful_timeout = 30
# Recycle a worker now and then so that a slow leak never grows without bound.
max_requests = 2000
max_requests_jitter = 200
# nginx on the same machine is the only proxy whose forwarded headers are believed.
forwarded_allow_ips = os.environ.get("GUGUS_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUGUS_ACCESS_LOG", "-")
errorlog = os.environ.get("GUGUS_ERROR_LOG", "-")
loglevel = os.environ.get("GUGUS_LOG_LEVEL", "info")
