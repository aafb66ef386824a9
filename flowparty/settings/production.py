"""Production: PostgreSQL, Redis, Celery worker and beat, gunicorn behind one reverse proxy.

Secrets have no default here: a missing one stops the process at start-up.
"""

from .base import *  # noqa: F403
from .base import env, redis_cache

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
# Links in e-mails: the first allowed host over HTTPS unless said otherwise.
FLOWPARTY_SITE_URL = env("FLOWPARTY_SITE_URL", default=f"https://{ALLOWED_HOSTS[0]}").rstrip("/")
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# PostgreSQL's JIT compiles any query its planner prices high, such as the dashboard's counts over a million
# members, and the compilation costs more (50-80 ms) than the query it speeds up (bench/README.md).
DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
    "options", env("DATABASE_OPTIONS", default="-c jit=off")
)
REDIS_URL = env("REDIS_URL")
CACHES = {"default": redis_cache(REDIS_URL)}
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = False
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS")
FLOWPARTY_REQUIRE_2FA_FOR_ORG_DEPARTMENT = env.bool("FLOWPARTY_REQUIRE_2FA_FOR_ORG_DEPARTMENT", default=True)
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
