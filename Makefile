# ParsTrack: two commands for a newcomer.
#   make run    set everything up and serve the demo clinic on http://127.0.0.1:$(PORT)
#   make test   set everything up and run lint, Django checks and the whole test suite
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
DEMO_PASSWORD ?= parstrack-demo
export DEMO_PASSWORD

.PHONY: run test setup lint format bench clean

# The venv is rebuilt only when the pinned requirements change.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(VENV)/.installed node_modules/.installed

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo ""
	@echo "ParsTrack demo: http://127.0.0.1:$(PORT)/"
	@echo "  clinician login: clinician / $(DEMO_PASSWORD)"
	@echo "  patient login:   patient / $(DEMO_PASSWORD)"
	@echo ""
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: setup
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

# ARGS passes options to pytest, e.g. make test ARGS="tests/test_access.py -k other_patient"
test: lint
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(ARGS)

clean:
	rm -rf $(VENV) node_modules db.sqlite3 staticfiles
