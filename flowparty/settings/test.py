"""Test settings: fast hasher, locmem e-mail, eager Celery. DATABASE_URL / REDIS_URL come from CI."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
}
# Tests share one cache process-wide; rate limits would leak between tests.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
ACCOUNT_RATE_LIMITS = False
FIELD_ENCRYPTION_KEYS = ["i0YvPq6jv1Y2o5Kx8Ck0q9Zt3k7R5m1oE9n3b2x4a6c="]
LANGUAGE_CODE = "zh-hans"
