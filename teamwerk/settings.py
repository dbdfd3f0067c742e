"""Teamwerk settings: one module, every deploy-specific value from the environment."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# A development key is only acceptable while DEBUG is on; production must set SECRET_KEY.
SECRET_KEY = env_str("SECRET_KEY") or ("dev-only-insecure-key" if DEBUG else "")
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when DEBUG is off.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "simple_history",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "teamwerk.core",
    "teamwerk.accounts",
    "teamwerk.tenancy",
    "teamwerk.catalogue",
    "teamwerk.planning",
    "teamwerk.team",
    "teamwerk.allocation",
    "teamwerk.stappenplan",
    "teamwerk.documents",
    "teamwerk.actions",
    "teamwerk.evaluation",
    "teamwerk.conversations",
    "teamwerk.privacy",
]

MIDDLEWARE = [
    # First: every log line of the request carries its id; slow requests are logged.
    "teamwerk.core.observability.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "teamwerk.core.sensitive.SensitiveResponseMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "teamwerk.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "teamwerk.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "teamwerk.core.middleware.SecurityHeadersMiddleware",
    "teamwerk.accounts.middleware.RequireMfaMiddleware",
    "teamwerk.tenancy.middleware.CurrentSchoolMiddleware",
]

ROOT_URLCONF = "teamwerk.urls"
WSGI_APPLICATION = "teamwerk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "teamwerk" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "teamwerk.tenancy.context_processors.tenancy",
            ],
        },
    }
]

DATA_DIR = Path(env_str("DATA_DIR", str(BASE_DIR / "var")))
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'teamwerk.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the task worker and the web process write without "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    if env_str("SQLITE_TEST_NAME"):
        # The test database as a file too: SQLite's shared in-memory database fails at once
        # on a locked table ("database table is locked") where the file waits its turn, and
        # the live server of the browser tests answers htmx requests side by side.
        DATABASES["default"]["TEST"] = {"NAME": env_str("SQLITE_TEST_NAME")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A cache every process shares: login throttling counters and the worker's heartbeat live
# here. The database cache by default (`createcachetable` runs in `make run`; the test
# database gets its table when it is created); Redis when REDIS_URL is set.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "teamwerk",
        }
    }
    # Sessions read from Redis and are written through to the database (they survive a
    # Redis restart; the database stays the record that retention purges).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "teamwerk_cache",
            "KEY_PREFIX": "teamwerk",
            "OPTIONS": {"MAX_ENTRIES": 50_000},
        }
    }

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# allauth: e-mail login, no open sign-up (people are invited).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
# An address counts only once verified: sign-in needs a verified address (accounts get one
# from their invitation link), an account has one address, and a new one replaces it only
# after the link sent to it is opened (never "make this unverified address primary").
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_MAX_EMAIL_ADDRESSES = 2
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_ADAPTER = "teamwerk.accounts.adapter.AccountAdapter"
# A school (group) may sign up on its own; its organisation is made once the address is
# verified. OPEN_SIGNUP=0 closes it (organisations then come from `create_organisation`).
OPEN_SIGNUP = env_bool("OPEN_SIGNUP", True)
ACCOUNT_SIGNUP_FORM_CLASS = "teamwerk.accounts.forms.OrganisationSignupForm"
ACCOUNT_SIGNUP_FORM_HONEYPOT_FIELD = "website"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# Login throttling slows failing combinations down in teamwerk/accounts/throttle.py (per
# account and address, per account, per address; counters in the shared cache). allauth's
# own limits on logins are off: they locked accounts and refused successful logins.
# Behind a reverse proxy: how many proxies add to X-Forwarded-For, so throttling sees the
# client's address and not the proxy's.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("ALLAUTH_TRUSTED_PROXY_COUNT", 0)
ACCOUNT_RATE_LIMITS = {
    "login": None,
    "login_failed": None,
    "reset_password": "20/m/ip,5/m/key",
    # Sign-ups: a handful per address per hour (a school signs up once).
    "signup": "5/h/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Teamwerk"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

# Sessions: end after two hours without activity; cookies locked down outside DEBUG.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 2 * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# A load balancer checks /health/ over plain http inside the network.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]  # project templates; each app has its own locale/
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True
# Dates as Dutch and Flemish readers write them ("3 nov. 2026"); English as British.
FORMAT_MODULE_PATH = ["teamwerk.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    BASE_DIR / "teamwerk" / "static",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # WhiteNoise's compressed manifest storage; a missing manifest stops the web process
        # at start (teamwerk/core/staticfiles.py) instead of a 500 on every page.
        "BACKEND": "teamwerk.core.staticfiles.StaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Teamwerk <noreply@teamwerk.invalid>")
# The public address for links in mails the worker sends (reminders, evaluation links) and in
# the calendar feed: the worker has no request to take it from.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# The worker runs the daily jobs (teamwerk/core/daily.py) once per local date, from this hour.
DAILY_JOBS_HOUR = env_int("DAILY_JOBS_HOUR", 3)

# Logs: one JSON object per line outside DEBUG (LOG_FORMAT=json|text), each with the request's
# id (X-Request-ID from the proxy, or made here); a request slower than SLOW_REQUEST_MS is
# logged as a warning with its query count (0 turns that off).
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json")
SLOW_REQUEST_MS = env_int("SLOW_REQUEST_MS", 1000)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "teamwerk.core.observability.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "teamwerk.core.observability.JsonFormatter"},
        "text": {
            "()": "teamwerk.core.observability.TextFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s: %(message)s",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT if LOG_FORMAT in ("json", "text") else "json",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        # WeasyPrint reports every layout step at INFO; keep PDF rendering quiet.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
