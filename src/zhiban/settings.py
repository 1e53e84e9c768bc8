"""Zhiban settings, read from the environment.

Every knob is an environment variable (documented in README.md, "Configuration"); helpers
below refuse bad values loudly at start-up instead of misbehaving later.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import re
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_networks(name: str) -> list[str]:
    """A comma list of IP addresses or networks (CIDR), e.g. ``10.0.0.5,10.1.0.0/16``."""
    networks = []
    for item in env_list(name, []):
        try:
            networks.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} must list IP addresses or networks (CIDR), got {item!r}"
            ) from None
    return networks


DATA_DIR = Path(env_str("ZHIBAN_DATA", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _kept_key(name: str, filename: str) -> str:
    """The environment variable ``name``, or a key generated once into the data folder with
    mode 0600 (never in git, never in the database)."""
    key = env_str(name)
    if key:
        return key
    path = DATA_DIR / filename
    if not path.exists():
        with contextlib.suppress(FileExistsError):  # another process made it first
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_urlsafe(64))
    return path.read_text().strip()


def _syslog_address(name: str) -> str:
    """A syslog socket path (``/dev/log``) or ``udp://host[:port]`` / ``tcp://host[:port]``."""
    value = env_str(name)
    parsed = urlsplit(value)
    if (
        value
        and not value.startswith("/")
        and not (parsed.scheme in {"udp", "tcp"} and parsed.hostname)
    ):
        raise ImproperlyConfigured(
            f"{name} must be a socket path (/dev/log) or udp://host:514 / tcp://host:514, "
            f"got {value!r}"
        )
    return value


SECRET_KEY = _kept_key("ZHIBAN_SECRET_KEY", "secret_key")
# The audit chain (docs/audit.md): the HMAC key of its rows, the append-only checkpoint file
# and, optionally, a syslog that receives every checkpoint too.
ZHIBAN_AUDIT_KEY = _kept_key("ZHIBAN_AUDIT_KEY", "audit_key")
ZHIBAN_AUDIT_CHECKPOINTS = env_str(
    "ZHIBAN_AUDIT_CHECKPOINTS", str(DATA_DIR / "audit-checkpoints.log")
)
ZHIBAN_AUDIT_SYSLOG = _syslog_address("ZHIBAN_AUDIT_SYSLOG")
# `zhiban backup` writes its folders here unless told `--to DIR` (issue 16, core/backup.py)
ZHIBAN_BACKUP_DIR = env_str("ZHIBAN_BACKUP_DIR", str(DATA_DIR / "backups"))
# the nightly backup (core/tasks.py): how many to keep there (0: none is made) and the hour,
# in the default centre time zone (ZHIBAN_DEFAULT_TIME_ZONE), at which it is made
ZHIBAN_BACKUP_KEEP = env_int("ZHIBAN_BACKUP_KEEP", 0)
ZHIBAN_BACKUP_HOUR = env_int("ZHIBAN_BACKUP_HOUR", 2)
if ZHIBAN_BACKUP_HOUR > 23:
    raise ImproperlyConfigured(f"ZHIBAN_BACKUP_HOUR must be 0 to 23, got {ZHIBAN_BACKUP_HOUR}")
DEBUG = env_bool("ZHIBAN_DEBUG", False)
ALLOWED_HOSTS = env_list("ZHIBAN_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("ZHIBAN_CSRF_TRUSTED_ORIGINS", [])
HTTPS = env_bool("ZHIBAN_HTTPS", False)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "channels",
    "django_filters",
    "django_htmx",
    "axes",
    "huey.contrib.djhuey",
    "zhiban.org",
    "zhiban.core",
    "zhiban.duty",
    "zhiban.ops",
    "zhiban.work",
    "zhiban.alarms",
    "zhiban.upkeep",
    "zhiban.service",
    "zhiban.registers",
    "zhiban.emergency",
    "zhiban.patrols",
    "zhiban.reports",
]

MIDDLEWARE = [
    "zhiban.core.metrics.MetricsMiddleware",  # first: it times all the others too
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "zhiban.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "zhiban.core.middleware.SessionRefreshMiddleware",
    "zhiban.core.middleware.LanguageMiddleware",
    "zhiban.core.api_errors.ApiErrorMiddleware",
    "zhiban.core.middleware.DomainErrorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zhiban.urls"
ASGI_APPLICATION = "zhiban.asgi.application"
AUTH_USER_MODEL = "org.Person"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zhiban.core.context.shell",
            ],
            "builtins": ["zhiban.core.templatetags.zhiban"],
        },
    }
]

# --- database: SQLite (WAL) in the data folder, or DATABASE_URL (PostgreSQL) -------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_URL must be a postgres:// URL (or unset for SQLite)")
    # Under ASGI every request runs on a fresh thread, so persistent connections do not carry
    # over: a pool does (ADR 0007). ZHIBAN_DB_POOL_MAX bounds each process's connections.
    DATABASES["default"]["OPTIONS"] = {
        "pool": {"min_size": 1, "max_size": env_int("ZHIBAN_DB_POOL_MAX", 10, minimum=2)}
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "zhiban.sqlite3",
            "OPTIONS": {
                # Take the write lock at BEGIN: concurrent writers wait (busy timeout)
                # instead of failing on a lock upgrade.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
                ),
            },
            "TEST": {"NAME": str(DATA_DIR / "test.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: channel layer, task queue and cache when REDIS_URL is set ---------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    # pub/sub: live pushes are not lost when consoles come and go (ADR 0019). Its channels are
    # server-wide, not per database number: the number goes into their names.
    _redis_db = urlsplit(REDIS_URL).path.strip("/") or "0"
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {
                "hosts": [REDIS_URL],
                "prefix": f"{env_str('ZHIBAN_REDIS_PREFIX', 'zhiban')}-db{_redis_db}",
            },
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("ZHIBAN_REDIS_PREFIX", "zhiban"),
        }
    }
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": env_str("ZHIBAN_REDIS_PREFIX", "zhiban"),
        "url": REDIS_URL,
        "immediate": False,
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "zhiban",
        "filename": str(DATA_DIR / "huey.sqlite3"),
        "immediate": False,
    }

MQTT_URL = env_str("ZHIBAN_MQTT_URL")

# requests per API token (django-ninja's throttling, core/api_auth.py): N/s, N/m, N/h
ZHIBAN_API_TOKEN_RATE = env_str("ZHIBAN_API_TOKEN_RATE", "3000/s")
if not re.fullmatch(r"[1-9]\d*/(s|m|h|d)", ZHIBAN_API_TOKEN_RATE):
    raise ImproperlyConfigured(
        f"ZHIBAN_API_TOKEN_RATE must be N/s, N/m, N/h or N/d, got {ZHIBAN_API_TOKEN_RATE!r}"
    )
FILTERS_EMPTY_CHOICE_LABEL = _("All")  # django-filter's "---------"

# --- authentication and security ----------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AXES_FAILURE_LIMIT = env_int("ZHIBAN_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("ZHIBAN_LOGIN_LOCKOUT_MINUTES", 15, minimum=1) / 60  # hours
# A person's account locks after the failures, from whatever addresses they came: a lock per
# address alone lets a guesser go on from the next address. Not per address as well: a control
# room's crew shares one workstation (and a company's desks one proxy address), and one
# person's typos must not lock out the next operator at 3 a.m. — axes' W006 says the opposite
# for websites, so it is silenced here on purpose.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "zhiban.org.accounts.lockout"
AXES_VERBOSE = False

SESSION_COOKIE_AGE = env_int("ZHIBAN_SESSION_MINUTES", 12 * 60, minimum=5) * 60
SESSION_REFRESH_SECONDS = 300  # idle timeout: the clock restarts at most every 5 minutes
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads it from the page, not the cookie
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("ZHIBAN_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
# a load balancer's and a monitoring system's probes reach each web process directly, in plain
# HTTP on the loopback or the internal network (issue 16, ADR 0018): not redirected
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
# The reverse proxies whose X-Forwarded-For / X-Forwarded-Proto `zhiban serve` believes; from
# anyone else the headers are ignored and the client is the connecting peer.
ZHIBAN_TRUSTED_PROXIES = env_networks("ZHIBAN_TRUSTED_PROXIES")
SECURE_HSTS_SECONDS = env_int("ZHIBAN_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],  # CSP 3: 'self' covers ws(s):// to this host too
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- i18n and time --------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"  # storage; every page shows the centre's own zone (DESIGN rule 5)
DEFAULT_CENTRE_TIME_ZONE = env_str("ZHIBAN_DEFAULT_TIME_ZONE", "Asia/Shanghai")

# --- static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"  # only for `zhiban collectstatic` behind a reverse proxy
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = DATA_DIR / "media"
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# --- e-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("ZHIBAN_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("ZHIBAN_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("ZHIBAN_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("ZHIBAN_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("ZHIBAN_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("ZHIBAN_EMAIL_TLS", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("ZHIBAN_EMAIL_FROM", "zhiban@localhost")

ZHIBAN_SITE_NAME = _("Zhiban")
ZHIBAN_OUTBOX_MAX_ATTEMPTS = env_int("ZHIBAN_OUTBOX_MAX_ATTEMPTS", 8, minimum=1)
ZHIBAN_WEBHOOK_TIMEOUT = env_int("ZHIBAN_WEBHOOK_TIMEOUT", 5, minimum=1)
# long work as a background job with progress (core.jobs, issue 15): a list export longer than
# this many rows, an uploaded .xlsx import larger than this many bytes
EXPORT_INLINE_ROWS = env_int("ZHIBAN_EXPORT_INLINE_ROWS", 50_000)
IMPORT_INLINE_BYTES = env_int("ZHIBAN_IMPORT_INLINE_BYTES", 64 * 1024)
# the address people open Zhiban at, for links in e-mail and chat (delivered reports, RPT-1)
ZHIBAN_BASE_URL = env_str("ZHIBAN_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- operations (issue 16, ADR 0018) -------------------------------------------------------
# /metrics asks for `Authorization: Bearer <token>` when this is set
ZHIBAN_METRICS_TOKEN = env_str("ZHIBAN_METRICS_TOKEN")
# /readyz: the job worker's heartbeat and the outbox's lag may be this old, in seconds
ZHIBAN_READY_WORKER_SECONDS = env_int("ZHIBAN_READY_WORKER_SECONDS", 180, minimum=60)
ZHIBAN_READY_OUTBOX_SECONDS = env_int("ZHIBAN_READY_OUTBOX_SECONDS", 600, minimum=60)
# log lines as plain text or one JSON object a line, with the request id (core/logs.py)
ZHIBAN_LOG_FORMAT = env_str("ZHIBAN_LOG_FORMAT", "plain")
if ZHIBAN_LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured(
        f"ZHIBAN_LOG_FORMAT must be plain or json, got {ZHIBAN_LOG_FORMAT!r}"
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",
            "json_ensure_ascii": False,
        },
    },
    "filters": {"request_id": {"()": "zhiban.core.logs.RequestId"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": ZHIBAN_LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("ZHIBAN_LOG_LEVEL", "INFO")},
    "loggers": {
        "huey": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
    },
}
