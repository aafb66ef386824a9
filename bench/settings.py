"""The benchmark's server: production settings (DEBUG off, PostgreSQL, Redis cache, manifest static files) with
only what a plain-HTTP run on 127.0.0.1 needs changed, and a URLconf that adds the floor view.

The environment (DATABASE_URL, REDIS_URL, the secrets) is set by bench/run.py.
"""

from flowparty.settings.production import *  # noqa: F403

# Served over plain HTTP on the loopback: no redirect to HTTPS, cookies without the Secure flag.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# The benchmark logs in by a session it creates; two-factor is not what is measured.
FLOWPARTY_REQUIRE_2FA_FOR_ORG_DEPARTMENT = False
ROOT_URLCONF = "bench.urls"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
