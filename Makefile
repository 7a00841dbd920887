# ParsTrack: two commands for a newcomer.
#   make run    set everything up and serve the demo clinic on http://127.0.0.1:$(PORT),
#               with the scheduler that sends check-in reminders to the console beside it
#   make test   set everything up and run lint, Django checks and the whole test suite
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
DEMO_PASSWORD ?= parstrack-demo
export DEMO_PASSWORD

.PHONY: run scheduler test setup lint format bench clean audit-deps backup-check

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
	@echo "  parent login:    parent / $(DEMO_PASSWORD)  (Maya's parent)"
	@echo "  reminders:       sent to this console by the scheduler (make scheduler) each minute"
	@echo ""
	@$(MAKE) --no-print-directory scheduler & scheduler=$$!; \
	trap 'kill $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# The development scheduler beside the web server (docs/operations.md has production's systemd
# timers): send_reminders every SCHEDULER_SECONDS, and refresh_assessments and
# apply_guardian_ages when it starts and each time the date changes. Each is safe to run at any
# time and twice at once.
SCHEDULER_SECONDS ?= 60
scheduler: setup
	@day=; while true; do \
		if [ "$$(date +%F)" != "$$day" ]; then \
			day=$$(date +%F); $(PY) manage.py refresh_assessments || true; \
			$(PY) manage.py apply_guardian_ages || true; fi; \
		$(PY) manage.py send_reminders || true; \
		sleep $(SCHEDULER_SECONDS); \
	done

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: setup
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

# Known vulnerabilities in the pinned runtime packages (pip-audit, PyPI's advisory data).
# A package that could not be checked (no network, or a registry mirror without PyPI's
# per-release JSON API) is never a pass: the target fails, unless AUDIT_OFFLINE_OK=1, when it
# prints NOT AUDITED and lets the rest of `make test` run. Found vulnerabilities always fail.
AUDIT_OFFLINE_OK ?= 0
audit-deps: setup
	@out=$$($(PY) -m pip_audit -r requirements.txt --progress-spinner off 2>&1); rc=$$?; \
	echo "$$out"; \
	if echo "$$out" | grep -qE "Found [0-9]+ known vulnerabilit"; then \
		echo "pip-audit: vulnerable dependencies (see above)."; exit 1; fi; \
	if [ $$rc -ne 0 ] && ! echo "$$out" | grep -q "could not be audited\|ConnectionError"; then \
		echo "pip-audit: vulnerable dependencies (see above)."; exit $$rc; fi; \
	if echo "$$out" | grep -q "could not be audited\|ConnectionError"; then \
		echo "*** DEPENDENCIES NOT AUDITED: pip-audit could not reach PyPI's vulnerability data"; \
		echo "*** for some packages (listed above). Run 'make audit-deps' where PyPI is reachable."; \
		[ "$(AUDIT_OFFLINE_OK)" = "1" ] || exit 2; \
	fi

# Dump the demo database, restore it into a fresh one and compare every table's row count
# (docs/operations.md). Needs PostgreSQL at PGHOST (127.0.0.1, user postgres). Then the
# production split of roles (docs/security.md): the owner (PGUSER) fails check_audit_trail, an
# application role with only SELECT and INSERT on the audit table passes it.
PGHOST ?= 127.0.0.1
PGUSER ?= postgres
BACKUP_DB ?= parstrack_backup_source
RESTORE_DB ?= parstrack_backup_restore
BACKUP_FILE ?= /tmp/parstrack-backup-check.dump
APP_ROLE ?= parstrack_app
export PGHOST PGUSER
backup-check: setup
	dropdb --if-exists $(BACKUP_DB) && createdb $(BACKUP_DB)
	DATABASE_URL=postgres://$(PGUSER)@$(PGHOST)/$(BACKUP_DB) $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=postgres://$(PGUSER)@$(PGHOST)/$(BACKUP_DB) $(PY) manage.py seed_demo
	pg_dump --format=custom --no-owner --file=$(BACKUP_FILE) $(BACKUP_DB)
	dropdb --if-exists $(RESTORE_DB) && createdb $(RESTORE_DB)
	pg_restore --no-owner --exit-on-error --dbname=$(RESTORE_DB) $(BACKUP_FILE)
	@for db in $(BACKUP_DB) $(RESTORE_DB); do \
		psql -d $$db -Atc "select table_name from information_schema.tables \
			where table_schema='public' and table_type='BASE TABLE' order by 1" | \
		while read t; do echo "$$t $$(psql -d $$db -Atc "select count(*) from \"$$t\"")"; done \
			> /tmp/parstrack-counts-$$db.txt; done
	@diff /tmp/parstrack-counts-$(BACKUP_DB).txt /tmp/parstrack-counts-$(RESTORE_DB).txt \
		&& echo "Restore matches: $$(wc -l < /tmp/parstrack-counts-$(RESTORE_DB).txt) tables," \
			"$$(awk '{s+=$$2} END {print s}' /tmp/parstrack-counts-$(RESTORE_DB).txt) rows."
	@psql -d $(RESTORE_DB) -Atc "select tgname from pg_trigger where tgname like 'tracker_%'" \
		| grep -q tracker_auditevent_append_only && echo "Audit append-only trigger restored."
	DATABASE_URL=postgres://$(PGUSER)@$(PGHOST)/$(RESTORE_DB) $(PY) manage.py migrate --check
	@psql -d postgres -Atc "select 1 from pg_roles where rolname = '$(APP_ROLE)'" | grep -q 1 \
		|| createuser $(APP_ROLE)
	psql -d $(RESTORE_DB) -q -v ON_ERROR_STOP=1 \
		-c "GRANT USAGE ON SCHEMA public TO $(APP_ROLE)" \
		-c "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO $(APP_ROLE)" \
		-c "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO $(APP_ROLE)" \
		-c "REVOKE UPDATE, DELETE, TRUNCATE ON tracker_auditevent FROM $(APP_ROLE)"
	@! DATABASE_URL=postgres://$(PGUSER)@$(PGHOST)/$(RESTORE_DB) $(PY) manage.py \
		check_audit_trail >/dev/null 2>&1 && echo "check_audit_trail refuses the owner role $(PGUSER)."
	DATABASE_URL=postgres://$(APP_ROLE)@$(PGHOST)/$(RESTORE_DB) $(PY) manage.py check_audit_trail

# ARGS passes options to pytest, e.g. make test ARGS="tests/test_access.py -k other_patient"
test: lint
	$(MAKE) --no-print-directory audit-deps AUDIT_OFFLINE_OK=1
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(ARGS)

test-fast: setup  # the suite without the browser and hostile-input tests
	$(PY) -m pytest -m "not browser and not hostile" $(ARGS)

# Clinic-scale benchmark (docs/benchmarks.md): 500 patients x 365 days on SQLite and on
# PostgreSQL when reachable, through gunicorn on loopback with bench.settings (production's plus
# the bench app in bench/). QUICK=1: 50 patients, under a minute.
# Not part of `make test` or CI.
QUICK ?=
bench: setup
	QUICK=$(QUICK) $(PY) -m bench

clean:
	rm -rf $(VENV) node_modules db.sqlite3 staticfiles
