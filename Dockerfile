# flowparty production image: gunicorn serves the web app; the same image runs the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=flowparty.settings.production
RUN apt-get update && apt-get install -y --no-install-recommends gettext fonts-noto-cjk fonts-wqy-zenhei postgresql-client \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 flowparty
WORKDIR /app
COPY pyproject.toml ./
RUN pip install --upgrade pip && pip install -e .
COPY . .
# collectstatic needs settings but no real secrets or services.
RUN DJANGO_SECRET_KEY=build DJANGO_ALLOWED_HOSTS=build DATABASE_URL=sqlite:////tmp/build.db \
    REDIS_URL=redis://build:6379/0 FIELD_ENCRYPTION_KEYS=build \
    python manage.py collectstatic --noinput
# Uploaded imports and prepared exports (personal data, never served as files): a volume shared by web and workers.
RUN mkdir -p /app/private && chown flowparty:flowparty /app/private
USER flowparty
EXPOSE 8000
CMD ["gunicorn", "flowparty.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-"]
