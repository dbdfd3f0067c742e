# Teamwerk: `make run` serves the demo, `make test` runs every check. Nothing to install by hand.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := DEBUG=$${DEBUG:-1} $(PY) manage.py
PORT ?= 8000
# Tests run in parallel, one worker per core (pytest-xdist); TEST_WORKERS=0 runs them in one process.
TEST_WORKERS ?= 2
PY_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po teamwerk/*/locale/*/LC_MESSAGES/django.po))

.PHONY: install run test lint bench messages check-translations clean

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

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check-translations: install
	$(MANAGE) check_translations

test: install lint check-translations
	$(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/pytest -n $(TEST_WORKERS)

bench: install
	$(MANAGE) migrate --noinput -v0
	$(MANAGE) createcachetable
	$(MANAGE) load_catalogue
	$(PY) -m teamwerk.allocation.bench ../shared/bench/gap/cattrysse1994 --time-limit 2 --summary
	$(PY) -m teamwerk.allocation.bench ../shared/bench/gap/chu1997/[ab]* --time-limit 10 --summary
	# engine and plain CP-SAT side by side, same limit and workers (~18 min)
	$(PY) -m teamwerk.allocation.bench ../shared/bench/gap/chu1997/[cd]* ../shared/bench/gap/yagiura2004 --compare --time-limit 30
	$(PY) -m teamwerk.allocation.bench --scaling --time-limit 10
	$(MANAGE) bench_allocation
	$(MANAGE) bench_team
	$(MANAGE) bench_planning
	$(MANAGE) bench_documents

messages: install
	$(MANAGE) check_translations --update

clean:
	rm -rf $(VENV) node_modules var
