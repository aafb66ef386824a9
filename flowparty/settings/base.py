"""Settings shared by every environment; each value comes from the environment (django-environ).

The defaults make the embedded run work (SQLite, eager Celery, console e-mail); production.py
refuses to start without the secrets it needs.
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

from flowparty.schedules import BEAT_SCHEDULE

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False) if (BASE_DIR / ".env").exists() else None

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-dev-only-key-change-me-0123456789abcdefghijklmnop")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

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
    "auditlog",
    "django_filters",
    "import_export",
    "django_celery_beat",
    "members",
    "registrations",
    "responsibilities",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "members.middleware.DefaultLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "members.middleware.SessionTimeoutMiddleware",
    "members.middleware.RequireTwoFactorMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
]

ROOT_URLCONF = "flowparty.urls"
WSGI_APPLICATION = "flowparty.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "members.context_processors.roles",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# The list indexes carry extra columns on PostgreSQL (INCLUDE); SQLite, for development, simply ignores them.
SILENCED_SYSTEM_CHECKS = ["models.W040"] if DATABASES["default"]["ENGINE"].endswith("sqlite3") else []
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# --- django-allauth: no self-signup; log in with the staff/student number (username) or e-mail.
ACCOUNT_ADAPTER = "members.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# Login rate limits live in the default cache (Redis in production): failed logins are limited per
# account, all logins per client address.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/300s/key",
    "reset_password": "20/m/ip,5/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "flowparty"
# Two-factor is required of organisation-department staff when this is on (production turns it on).
FLOWPARTY_REQUIRE_2FA_FOR_ORG_DEPARTMENT = env.bool("FLOWPARTY_REQUIRE_2FA_FOR_ORG_DEPARTMENT", default=False)
# Number of reverse proxies in front of the app; allauth reads the client address through them.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
# Uploaded imports awaiting confirmation and prepared exports hold personal data: they live in "private", a
# directory no URL serves (the views check who asks), shared by the web app and the Celery workers.
PRIVATE_FILES_ROOT = env("FLOWPARTY_PRIVATE_FILES_ROOT", default=str(BASE_DIR / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_FILES_ROOT, "base_url": "/private-files-are-never-served/"},
    },
}
MEDIA_ROOT = env("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media"))
MEDIA_URL = "/media/"

# --- Cache: Redis when REDIS_URL is set (rate limits must be shared across workers), else in-process.
# With Redis down the site keeps serving: cache errors are logged and ignored (login rate limits are then not
# enforced until Redis is back), rather than every page failing.
REDIS_URL = env("REDIS_URL", default="")


def redis_cache(url: str) -> dict:
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1, "IGNORE_EXCEPTIONS": True},
    }


DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
if REDIS_URL:
    CACHES = {"default": redis_cache(REDIS_URL)}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Sessions: logged out after 30 minutes without activity, and 12 hours after logging in whatever happens.
FLOWPARTY_SESSION_IDLE_TIMEOUT = env.int("FLOWPARTY_SESSION_IDLE_TIMEOUT", default=30 * 60)
FLOWPARTY_SESSION_ABSOLUTE_TIMEOUT = env.int("FLOWPARTY_SESSION_ABSOLUTE_TIMEOUT", default=12 * 60 * 60)
SESSION_COOKIE_AGE = FLOWPARTY_SESSION_ABSOLUTE_TIMEOUT
SESSION_COOKIE_SAMESITE = "Lax"

# --- Content-Security-Policy (django-csp): no inline script anywhere, every asset from this site.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- Checklist compliance is computed live; summaries (home, dashboard) compute it only below this many open
# registrations in the viewer's scope and link to the per-organisation matrices above it.
FLOWPARTY_LIVE_COMPLIANCE_LIMIT = env.int("FLOWPARTY_LIVE_COMPLIANCE_LIMIT", default=3000)

# --- Personal data retention: ended registrations older than this are anonymised (`anonymise_ended_records`).
FLOWPARTY_RETENTION_YEARS = env.int("FLOWPARTY_RETENTION_YEARS", default=5)
# --- Uploads: the largest file accepted (imports), in bytes.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Celery: Redis broker when configured; otherwise tasks run eagerly in-process.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Every periodic job is defined in flowparty/schedules.py; the database scheduler copies it into its tables.
CELERY_BEAT_SCHEDULE = BEAT_SCHEDULE

# --- E-mail: console in development, SMTP from EMAIL_URL in production.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="flowparty <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where the site is reached from outside: e-mails carry absolute links to it (no request to build them from).
FLOWPARTY_SITE_URL = env("FLOWPARTY_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# --- Personal data: ID-card numbers are encrypted with these Fernet keys (first one encrypts; all decrypt,
# so keys can be rotated). Without a configured key, one is derived from SECRET_KEY (development only).
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])

# --- Domain settings.
# Art. 2: the intake deadline is 30 days within the home province, 60 days across provinces.
FLOWPARTY_HOME_PROVINCE_CODE = env("FLOWPARTY_HOME_PROVINCE_CODE", default="51")
# Where the university is (乐山市市中区): the origin of every outflow, the destination of every inflow.
FLOWPARTY_HOME_COUNTY_CODE = env("FLOWPARTY_HOME_COUNTY_CODE", default="511102")
FLOWPARTY_COMMITTEE_NAME = env("FLOWPARTY_COMMITTEE_NAME", default="中共乐山师范学院委员会")
# The TrueType font embedded in introduction letters (registrations/letters.py): a path (.ttf, or .ttc whose
# first face is used), "auto" (the first Debian Chinese font installed) or "builtin" (reportlab's CID font, not
# embedded: viewers without a Chinese font show blanks; `check --deploy` warns).
FLOWPARTY_LETTER_FONT = env("FLOWPARTY_LETTER_FONT", default="auto")

AUDITLOG_INCLUDE_ALL_MODELS = False

# --- Excel import and export (issue 7). An upload is refused above this size, and above this size once
# unzipped (a zip bomb is small on the wire); an import holds at most this many rows.
FLOWPARTY_IMPORT_MAX_BYTES = env.int("FLOWPARTY_IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
FLOWPARTY_IMPORT_MAX_UNCOMPRESSED_BYTES = env.int(
    "FLOWPARTY_IMPORT_MAX_UNCOMPRESSED_BYTES", default=50 * 1024 * 1024
)
FLOWPARTY_IMPORT_MAX_ROWS = env.int("FLOWPARTY_IMPORT_MAX_ROWS", default=20000)
# Exports with more rows than this are prepared by a Celery task and offered for download when ready;
# smaller ones are written while the request waits.
FLOWPARTY_EXPORT_ASYNC_ROWS = env.int("FLOWPARTY_EXPORT_ASYNC_ROWS", default=20000)
# Prepared exports and unconfirmed uploads are deleted after this many hours.
FLOWPARTY_EXCHANGE_FILE_HOURS = env.int("FLOWPARTY_EXCHANGE_FILE_HOURS", default=24)

# Demo data loaders that later apps add, run by `seed_demo` after the organisations and members.
FLOWPARTY_DEMO_LOADERS = [
    "registrations.demo.load_demo",
    "registrations.transfer_demo.load_demo",
    "responsibilities.demo.load_demo",
]
# Province-scale generators run by `seed_demo --members N` after the bulk members (members/demo/bulk.py): each
# app that adds records (transfers, checklists...) appends its `generate(ctx)` here, in dependency order.
FLOWPARTY_BULK_GENERATORS = ["registrations.demo_bulk.generate"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "celery.app.trace": {"level": "WARNING"}},
}
