"""The embedded run: `make run` (SQLite, eager Celery, console e-mail, demo data)."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
