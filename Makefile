# Teamwerk: `make run` serves the demo, `make test` runs every check. Nothing to install by hand.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := DEBUG=$${DEBUG:-1} $(PY) manage.py
PORT ?= 8000
# Tests run in parallel, one worker per core (pytest-xdist); TEST_WORKERS=0 runs them in one process.
# worksteal: a worker that runs out takes tests queued for the other, so the long browser
# walks at the end do not leave one core idle.
TEST_WORKERS ?= 2
PY_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po teamwerk/*/locale/*/LC_MESSAGES/django.po))

.PHONY: install run serve test lint bench bench-load messages check-translations clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(PY_STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

%.mo: %.po
	msgfmt --check-format -o $@ $<

install: $(PY_STAMP) $(NODE_STAMP) $(MO_FILES)
	@mkdir -p var

run: install
	$(MANAGE) migrate --noinput -v0
	$(MANAGE) createcachetable
	$(MANAGE) load_catalogue
	$(MANAGE) seed_demo --if-empty
	@echo "Teamwerk: http://127.0.0.1:$(PORT)/  (stop with Ctrl+C)"
	@$(MANAGE) worker --interval 1 >var/worker.log 2>&1 & worker=$$!; \
	  trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	  $(MANAGE) runserver 127.0.0.1:$(PORT)

# Production: DEBUG off; SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL (and REDIS_URL) from the
# environment (docs/deploy.md). The web server (gunicorn) and the background worker run as
# two processes; Ctrl+C or TERM stops both.
PROD := DEBUG=0 $(PY) manage.py
BIND ?= 127.0.0.1:$(PORT)
serve: install
	$(PROD) check --deploy --fail-level ERROR
	$(PROD) migrate --noinput -v0
	$(PROD) createcachetable
	$(PROD) load_catalogue
	$(PROD) collectstatic --noinput -v0
	@echo "Teamwerk (production): http://$(BIND)/  workers: $${WEB_CONCURRENCY:-2}"
	@$(PROD) worker & worker=$$!; \
	  trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	  DEBUG=0 $(VENV)/bin/gunicorn teamwerk.wsgi --bind $(BIND) \
	    --workers $${WEB_CONCURRENCY:-2} --timeout $${GUNICORN_TIMEOUT:-60} \
	    --access-logfile - --forwarded-allow-ips "$${FORWARDED_ALLOW_IPS:-127.0.0.1}"

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check-translations: install
	$(MANAGE) check_translations

test: install lint check-translations
	$(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/pytest -n $(TEST_WORKERS) $$([ "$(TEST_WORKERS)" != 0 ] && echo --dist worksteal)

bench: install
	$(MANAGE) migrate --noinput -v0
	$(MANAGE) createcachetable
	$(MANAGE) load_catalogue
	$(PY) -m teamwerk.allocation.bench ../shared/bench/gap/cattrysse1994 --time-limit 2 --summary
	$(PY) -m teamwerk.allocation.bench ../shared/bench/gap/chu1997/[ab]* --time-limit 10 --summary
	# engine and plain CP-SAT side by side, same limit and workers (~13 min)
	$(PY) -m teamwerk.allocation.bench ../shared/bench/gap/chu1997/[cd]* ../shared/bench/gap/yagiura2004 --compare --time-limit 30
	$(PY) -m teamwerk.allocation.bench --scaling --time-limit 10
	$(MANAGE) bench_allocation
	$(MANAGE) bench_team
	$(MANAGE) bench_planning
	$(MANAGE) bench_documents

# The 50-school group on PostgreSQL (tw_load; seeded once), then p50/p95 of the key pages
# at 8 concurrent users against gunicorn with 2 workers. LABEL names the run in
# var/bench-load.json (e.g. LABEL=before).
LOAD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/tw_load
LABEL ?= run
bench-load: install
	$(PY) -c "from teamwerk.core.loadbench import ensure_postgres_database as e; e('$(LOAD_DATABASE_URL)')"
	DATABASE_URL=$(LOAD_DATABASE_URL) DEBUG=1 $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=$(LOAD_DATABASE_URL) DEBUG=1 $(PY) manage.py createcachetable
	DATABASE_URL=$(LOAD_DATABASE_URL) DEBUG=1 $(PY) manage.py load_catalogue
	DATABASE_URL=$(LOAD_DATABASE_URL) DEBUG=1 $(PY) manage.py seed_demo --schools 50 --group-only
	DATABASE_URL=$(LOAD_DATABASE_URL) DEBUG=0 SECRET_KEY=bench $(PY) manage.py collectstatic --noinput -v0
	DATABASE_URL=$(LOAD_DATABASE_URL) DEBUG=1 $(PY) manage.py bench_load --users 8 --workers 2 --label $(LABEL)

messages: install
	$(MANAGE) check_translations --update

clean:
	rm -rf $(VENV) node_modules var
