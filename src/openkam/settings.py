"""The one settings module. Everything that varies comes from the environment.

Helpers fail loudly on bad values: a typo in KAM_DEBUG must not silently mean "off"
or, worse, "on".
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

from openkam.settings_paths import SRC_DIR, project_dir, var_dir

PROJECT_DIR = project_dir()
VAR_DIR = var_dir()


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Environment variable {name} is required")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use true/false, 1/0, yes/no)")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def _secret_key(debug: bool) -> str:
    key = os.environ.get("KAM_SECRET_KEY")
    if key:
        return key
    if not debug:
        raise ImproperlyConfigured(
            "KAM_SECRET_KEY must be set when KAM_DEBUG is off "
            "(the `kam` run command sets one for the local demo)"
        )
    return "insecure-development-key-do-not-use-in-production"


def _database(url: str) -> dj_database_url.DBConfig:
    if not url.startswith(("sqlite:", "postgres:", "postgresql:", "pgsql:")):
        raise ImproperlyConfigured(
            f"KAM_DATABASE_URL={url!r}: only sqlite:/// and postgres:// URLs are supported"
        )
    try:
        config = dj_database_url.parse(url, conn_max_age=env_int("KAM_DB_CONN_MAX_AGE", 0))
    except ValueError as exc:
        raise ImproperlyConfigured(f"KAM_DATABASE_URL={url!r} is invalid: {exc}") from None
    if config["ENGINE"].endswith("postgresql"):
        # The planner overestimates our aggregate subqueries and JIT-compiles them, which
        # costs more than the queries themselves (1.5 s of a 1.9 s account list at 1M lines).
        config.setdefault("OPTIONS", {})["options"] = "-c jit=off"
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets the web server read while the worker writes; a busy timeout
        # makes a writer wait for the other instead of failing at once.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
        config["TEST"] = {"NAME": os.environ.get("KAM_TEST_SQLITE_NAME") or None}
    return config


DEBUG = env_bool("KAM_DEBUG", False)
SECRET_KEY = _secret_key(DEBUG)
ALLOWED_HOSTS = env_list("KAM_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("KAM_CSRF_TRUSTED_ORIGINS", [])

DATABASES = {
    "default": _database(env_str("KAM_DATABASE_URL", f"sqlite:///{VAR_DIR / 'openkam.sqlite3'}"))
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "openkam.core",
    "openkam.users",
    "openkam.accounts",
    "openkam.stakeholders",
    "openkam.ledger",
    "openkam.contracts",
    "openkam.pricing",
    "openkam.promotions",
    "openkam.ingest",
    "openkam.portfolio",
    "openkam.receivables",
    "openkam.credit",
    "openkam.sales",
    "openkam.opportunities",
    "openkam.proposals",
    "openkam.tenders",
    "openkam.returns",
    "openkam.plans",
    "openkam.activities",
    "openkam.workspace",
    "openkam.demo",
    "openkam.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "openkam.core.bounds.RejectNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "openkam.urls"
WSGI_APPLICATION = "openkam.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "openkam.web.context_processors.navigation",
            ],
        },
    }
]

AUTH_USER_MODEL = "users.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("pl", _("Polish")), ("ru", _("Russian"))]
LOCALE_PATHS = [SRC_DIR / "locale"]
TIME_ZONE = env_str("KAM_TIME_ZONE", "Europe/Warsaw")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Outside debug mode (or with KAM_COLLECT_STATIC=1) static files are served collected
# (`kam serve` collects them into KAM_STATIC_ROOT, default var/static, first): names carry a hash of the content, so browsers keep them for a
# year, and WhiteNoise sends gzip or brotli copies. In debug mode they come straight
# from the apps and packages.
STATIC_COLLECTED = env_bool("KAM_COLLECT_STATIC", not DEBUG)
STATIC_ROOT = (
    Path(os.environ.get("KAM_STATIC_ROOT") or VAR_DIR / "static")
    if STATIC_COLLECTED or os.environ.get("KAM_STATIC_ROOT")
    else None
)
WHITENOISE_USE_FINDERS = not STATIC_COLLECTED
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_COLLECTED
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Source maps (megabytes of them in the API docs' bundles) are for developers' tools:
# compressing them would double the time `kam serve` takes to collect the files.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (
    *Compressor.SKIP_COMPRESS_EXTENSIONS,
    "map",
)
# Third-party front-end code comes from package registries at install time, never from
# files pasted into this repository: htmx ships in django-htmx; plotly.js comes from the
# npm registry (package-lock.json, installed by `python3 kam`, see core/frontend.py).
# The charts draw lines and bars only: plotly's basic bundle (1.2 MB) is enough, where
# the full one (4.8 MB, shipped in the plotly Python package) serves KAM_PLOTLY_BUNDLE=full.
KAM_PLOTLY_BUNDLE = env_str("KAM_PLOTLY_BUNDLE", "basic")
if KAM_PLOTLY_BUNDLE not in ("basic", "full"):
    raise ImproperlyConfigured(f"KAM_PLOTLY_BUNDLE={KAM_PLOTLY_BUNDLE!r}: use basic or full")
NPM_DIR = Path(sys.prefix) / "share" / "openkam" / "npm"
_PLOTLY_BASIC = NPM_DIR / "plotly.js-basic-dist-min"
if KAM_PLOTLY_BUNDLE == "basic" and (_PLOTLY_BASIC / "plotly-basic.min.js").is_file():
    STATICFILES_DIRS = [("vendor/plotly", _PLOTLY_BASIC)]
    PLOTLY_SCRIPT = "vendor/plotly/plotly-basic.min.js"
else:  # not installed (run `python3 kam` once) or asked for: the full bundle
    STATICFILES_DIRS = [("vendor/plotly", Path(__import__("plotly").__path__[0]) / "package_data")]
    PLOTLY_SCRIPT = "vendor/plotly/plotly.min.js"
# The searchable picker of every long list of accounts or people (Tom Select, npm): the
# plain list stays where it is not installed.
_TOM_SELECT = NPM_DIR / "tom-select" / "dist"
SEARCHABLE_PICKERS = (_TOM_SELECT / "js" / "tom-select.complete.min.js").is_file()
if SEARCHABLE_PICKERS:
    STATICFILES_DIRS.append(("vendor/tom-select", _TOM_SELECT))

MEDIA_ROOT = VAR_DIR / "uploads"
# Uploads (an ERP export, a vCard file) up to this size; the bytes of a larger file are not
# kept and its form says why (openkam/core/bounds.py). Form fields and JSON bodies, which
# Django holds in memory, are refused (400) above the same size.
KAM_MAX_UPLOAD_MB = env_int("KAM_MAX_UPLOAD_MB", 50)
if KAM_MAX_UPLOAD_MB < 1:
    raise ImproperlyConfigured(f"KAM_MAX_UPLOAD_MB={KAM_MAX_UPLOAD_MB} must be 1 or more")
DATA_UPLOAD_MAX_MEMORY_SIZE = KAM_MAX_UPLOAD_MB * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = min(5, KAM_MAX_UPLOAD_MB) * 1024 * 1024  # larger: a temporary file
FILE_UPLOAD_HANDLERS = [
    "openkam.core.bounds.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

TASKS = {"default": {"BACKEND": env_str("KAM_TASK_BACKEND", "django_tasks_db.DatabaseBackend")}}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool(
    "KAM_SECURE_COOKIES", not DEBUG and "127.0.0.1" not in ALLOWED_HOSTS
)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("KAM_LOG_LEVEL", "WARNING")},
}

# The account workspace: days without contact before a decision maker, economic buyer
# or champion counts as a coverage gap (alerted on the home page and the map).
OPENKAM_COVERAGE_DAYS = env_int("KAM_COVERAGE_DAYS", 60)

# Contracts (docs/contracts.md): alerts this many days before a contract's notice date (its
# end when it has none), and how far (percent) the volume projected to the end of the
# commitment period may fall short of the commitment before the contract is "at risk".
KAM_CONTRACT_ALERT_DAYS = env_list("KAM_CONTRACT_ALERT_DAYS", ["90", "60", "30"])
if not all(day.isdigit() and 0 < int(day) <= 3650 for day in KAM_CONTRACT_ALERT_DAYS):
    raise ImproperlyConfigured(
        f"KAM_CONTRACT_ALERT_DAYS={KAM_CONTRACT_ALERT_DAYS!r}: give days 1..3650, e.g. 90,60,30"
    )
OPENKAM_CONTRACT_ALERT_DAYS = sorted({int(day) for day in KAM_CONTRACT_ALERT_DAYS}, reverse=True)
OPENKAM_COMMITMENT_RISK_PCT = env_int("KAM_COMMITMENT_RISK_PCT", 10)

# Tenders (docs/tenders.md): a tender in preparation is alerted this many days before its
# submission deadline (and after it, until it moves on).
OPENKAM_TENDER_ALERT_DAYS = env_int("KAM_TENDER_ALERT_DAYS", 7)
if not 0 <= OPENKAM_COMMITMENT_RISK_PCT < 100:
    raise ImproperlyConfigured(
        f"KAM_COMMITMENT_RISK_PCT={OPENKAM_COMMITMENT_RISK_PCT} must be 0..99"
    )

# The seller's name printed at the top of a proposal sent to a customer.
KAM_COMPANY_NAME = env_str("KAM_COMPANY_NAME", "")
