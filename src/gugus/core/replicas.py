"""Reads from PostgreSQL streaming replicas, writes to the primary, and read-your-writes.

With DATABASE_REPLICA_URLS set (settings.py), the router sends a query to a replica only
when it is safe to: inside a web request that reads (GET, HEAD, OPTIONS) and that has not
written yet, from a user who has not written in the last GUGUS_REPLICA_PIN_SECONDS. A
replica replays the primary's changes a moment late, so everything else reads the
primary: a request that writes (from its first write on), the requests of the person who
just saved (a short-lived cookie says so), the background worker, management commands,
sessions, API tokens, sign-in throttling and the job queue. docs/deployment.md explains the choice.
"""

import contextvars
import random

from django.conf import settings
from django.db import connections

# Whether this context may read from a replica; off unless a reading request allows it.
_replica_allowed = contextvars.ContextVar("gugus_replica_allowed", default=False)

PIN_COOKIE = "gugus_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Read right after they are written, often by a client that keeps no cookie (an API token
# used the moment it is made) or by the worker: always from the primary.
PRIMARY_ONLY_APPS = frozenset({"sessions", "axes", "django_tasks_db"})
PRIMARY_ONLY_MODELS = frozenset({"accounts.apitoken"})
_READ_VERBS = ("SELECT", "SHOW", "EXPLAIN", "SAVEPOINT", "RELEASE", "ROLLBACK")


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica")]


class ReplicaRouter:
    """Writes and migrations to the primary; reads to a replica when the context allows."""

    def db_for_read(self, model, **hints):
        meta = model._meta
        if (
            not _replica_allowed.get()
            or meta.app_label in PRIMARY_ONLY_APPS
            or meta.label_lower in PRIMARY_ONLY_MODELS
        ):
            return "default"
        return random.choice(replica_aliases())

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # every alias holds the same data

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


def _pin_on_write(execute, sql, params, many, context):
    """A statement that changes data sends the rest of the request to the primary."""
    if not sql.lstrip().upper().startswith(_READ_VERBS):
        _replica_allowed.set(False)
    return execute(sql, params, many, context)


class ReadYourWritesMiddleware:
    """Allows replica reads for a reading request of someone who has not just written;
    after a write, pins that person's browser to the primary for a few seconds."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        allowed = request.method in SAFE_METHODS and PIN_COOKIE not in request.COOKIES
        token = _replica_allowed.set(allowed)
        try:
            with connections["default"].execute_wrapper(_pin_on_write):
                response = self.get_response(request)
            wrote = allowed and not _replica_allowed.get()
        finally:
            _replica_allowed.reset(token)
        if request.method not in SAFE_METHODS or wrote:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.GUGUS_REPLICA_PIN_SECONDS,
                httponly=True,
                secure=request.is_secure(),
                samesite="Lax",
            )
        return response
