"""One settings module, configured from the environment.

Fails closed: without GUGUS_DEBUG=1 (which `make run` and the tests set) Gugus runs in
production mode, which needs SECRET_KEY, DATABASE_URL and ALLOWED_HOSTS and turns on
HTTPS redirects, HSTS and secure cookies.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("GUGUS_VAR_DIR", PROJECT_DIR / "var"))


def env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_flag("GUGUS_DEBUG", False)
# Read once here: Django's test runner turns DEBUG off at run time, this stays as set.
GUGUS_PRODUCTION = not DEBUG
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY must be set when GUGUS_DEBUG is off")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

# A chosen date for demos and rehearsals (GUGUS_TODAY=2026-03-01 make run): every rule, page
# and job reads "today" from gugus.core.clock, which answers this date with the real time of
# day. A production installation must never live on a made-up date.
GUGUS_TODAY = os.environ.get("GUGUS_TODAY", "").strip() or None
if GUGUS_TODAY and GUGUS_PRODUCTION:
    raise RuntimeError("GUGUS_TODAY is for demos and rehearsals; production runs on today's date")

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

# Streaming replicas of the primary (PostgreSQL), comma-separated URLs: reading requests
# are served from them, everything that writes or has just written from the primary
# (gugus.core.replicas). GUGUS_REPLICA_PIN_SECONDS: how long a person who saved reads the
# primary, comfortably longer than the replicas' lag.
DATABASE_REPLICA_URLS = [
    u.strip() for u in os.environ.get("DATABASE_REPLICA_URLS", "").split(",") if u.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",
    "gugus.core",
    "gugus.directory",
    "gugus.accounts",
    "gugus.communities",
    "gugus.grants",
    "gugus.competency",
    "gugus.partnership",
    "gugus.training",
    "gugus.performance",
    "gugus.insights",
    "gugus.privacy",
    "gugus.demo",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
]

MIDDLEWARE = [
    *(["gugus.core.replicas.ReadYourWritesMiddleware"] if DATABASE_REPLICA_URLS else []),
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "gugus.core.middleware.LanguageMiddleware",
    "gugus.core.middleware.ApiErrorMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "gugus.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "gugus.core.middleware.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gugus.urls"
WSGI_APPLICATION = "gugus.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gugus.core.context_processors.actor",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'gugus.sqlite3'}"),
        conn_max_age=int(os.environ.get("GUGUS_CONN_MAX_AGE", "60")),
        # A kept connection is checked before a request uses it, so a database that was
        # restarted costs no failed request once it is back (`make soak` proves it).
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers proceed while an import writes; IMMEDIATE avoids
        # "database is locked" when two requests upgrade read locks at once.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Tests use a file too: an in-memory database shared between threads fails at once
    # with "table is locked" instead of waiting, which is not how the product runs.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}

# Reads served by the replicas (DATABASE_REPLICA_URLS, read above with the middleware).
for _n, _url in enumerate(DATABASE_REPLICA_URLS, start=1):
    DATABASES[f"replica_{_n}"] = dj_database_url.parse(
        _url, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"], conn_health_checks=True
    )
GUGUS_REPLICA_PIN_SECONDS = int(os.environ.get("GUGUS_REPLICA_PIN_SECONDS", "10"))
DATABASE_ROUTERS = ["gugus.core.replicas.ReplicaRouter"] if DATABASE_REPLICA_URLS else []

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses while an account or address is locked
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in throttling (django-axes): the sign-in page, the admin and API tokens. Ten wrong
# attempts lock that account, and separately that address, for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("GUGUS_LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = float(os.environ.get("GUGUS_LOGIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = "gugus.core.middleware.lockout_parameters"
AXES_RESET_ON_SUCCESS = True
# Every failed sign-in kept (the sign-in audit), not only the running count per account.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# The second factor (django-otp, TOTP) an office user may turn on: the issuer shown in the
# authenticator app.
OTP_TOTP_ISSUER = "Gugus"
AXES_LOCKOUT_CALLABLE = "gugus.core.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "gugus.core.middleware.client_ip"
# How many reverse proxies (nginx, a load balancer) append to X-Forwarded-For.
GUGUS_PROXY_COUNT = int(os.environ.get("GUGUS_PROXY_COUNT", "1" if not DEBUG else "0"))
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Serve app static files straight from the package in development and tests (Django's
# test runner turns DEBUG off at run time, after this module is read).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = Path(os.environ.get("GUGUS_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

EMAIL_BACKEND = os.environ.get(
    "GUGUS_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "gugus@localhost")

if GUGUS_PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_flag("GUGUS_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer polls over plain HTTP
    SECURE_HSTS_SECONDS = int(os.environ.get("GUGUS_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SESSION_COOKIE_SECURE = env_flag("GUGUS_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_flag("GUGUS_SECURE_COOKIES", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Sent on every page (core.middleware): scripts and styles only from Gugus's own files,
# no inline code, nothing framed. Downloads of stored files send `sandbox` instead.
# Where links in e-mails sent by the background worker point (no request to read it from).
GUGUS_BASE_URL = os.environ.get("GUGUS_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# An optional quota of predikat per school and semester, in percent ("baik:70"): the
# assessor is warned, never stopped. Empty: no quota.
GUGUS_PREDIKAT_QUOTA = {
    name.strip(): int(share)
    for name, _sep, share in (
        part.partition(":")
        for part in os.environ.get("GUGUS_PREDIKAT_QUOTA", "baik:70").split(",")
        if part.strip()
    )
}
GUGUS_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)

NINJA_PAGINATION_MAX_LIMIT = 100

# How a working group's activeness is measured (gugus.communities.activeness explains each).
GUGUS_ACTIVENESS = {
    "window_months": 6,
    "target_activities_per_month": 1.0,
    "target_attendance_rate": 0.6,
    "target_member_share": 0.6,
    "reflection_days": 60,
    "weights": {
        "frequency": 0.35,
        "attendance": 0.15,
        "members": 0.15,
        "follow_through": 0.1,
        "continuity": 0.25,
    },
    # Below this share of the target activities a group is at most "kurang aktif".
    "active_needs_frequency": 0.5,
    "active_from": 60,
    "less_active_from": 30,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"gugus": {"handlers": ["console"], "level": "INFO"}},
}

# Background jobs (django-tasks; Django 6 adopted the API): stored in the database and run
# by `gugus worker`, which `make run` starts beside the web server.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("GUGUS_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        # "insights": the dashboards' recounts, apart so a worker can be given to them
        # (`gugus worker --queue-name '*'` runs both).
        "QUEUES": ["default", "insights"],
    }
}
# A worker refreshes its row every BEAT seconds and looks for the jobs of dead workers
# every RECLAIM seconds; a worker on another machine is dead after STALE seconds without a
# beat (one on this machine as soon as its process is gone). `gugus.core.jobs`.
GUGUS_WORKER_BEAT_SECONDS = float(os.environ.get("GUGUS_WORKER_BEAT_SECONDS", "10"))
GUGUS_WORKER_RECLAIM_SECONDS = float(os.environ.get("GUGUS_WORKER_RECLAIM_SECONDS", "30"))
GUGUS_WORKER_STALE_SECONDS = float(os.environ.get("GUGUS_WORKER_STALE_SECONDS", "60"))
