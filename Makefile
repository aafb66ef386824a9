# flowparty: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DJANGO_SETTINGS_MODULE ?= flowparty.settings.dev

.PHONY: run test install migrate demo worker lint format messages check-deploy bench load clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Then write flowparty/schedules.py into django-celery-beat's tables, so the admin shows the schedule at once.
migrate: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py sync_beat_schedule

demo: migrate
	$(BIN)/python manage.py seed_demo

run: demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# The whole suite. SQLite unless DATABASE_URL says otherwise (CI sets PostgreSQL and Redis).
test: install
	DJANGO_SETTINGS_MODULE=flowparty.settings.test DJANGO_ALLOW_ASYNC_UNSAFE=true \
		$(BIN)/python -m pytest -n 2 --dist loadgroup -q $(PYTEST_ARGS)

# A Celery worker with the beat scheduler embedded (development only; production runs one beat and N workers).
worker: migrate
	$(BIN)/celery -A flowparty worker --beat --loglevel=INFO --scheduler django_celery_beat.schedulers:DatabaseScheduler

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Extract and compile the translation catalogue (needs GNU gettext).
messages: install
	$(BIN)/python manage.py makemessages -l zh_Hans -l en --no-location --ignore=.venv --ignore=static --ignore=staticfiles
	$(BIN)/python manage.py compilemessages --ignore=.venv

check-deploy: install
	DJANGO_SETTINGS_MODULE=flowparty.settings.production DJANGO_SECRET_KEY=$$(openssl rand -hex 32) \
	DJANGO_ALLOWED_HOSTS=flowparty.example.edu.cn DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
	REDIS_URL=redis://127.0.0.1:6379/0 FIELD_ENCRYPTION_KEYS=$$($(BIN)/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())') \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

# The performance benchmark (bench/README.md): PostgreSQL + gunicorn on 127.0.0.1, a database seeded once per size
# and reused. Not a test, and not part of CI.
BENCH_MEMBERS ?= 1000000
bench: install
	BENCH_MEMBERS=$(BENCH_MEMBERS) $(BIN)/python -m bench.run $(BENCH_ARGS)
	$(BIN)/python -m bench.load

# The load test alone: 50 users mixing every role's pages for 60 s against gunicorn and PostgreSQL (demo data).
load: install
	$(BIN)/python -m bench.load $(LOAD_ARGS)

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
