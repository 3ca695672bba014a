# Gugus: `make run` serves the app with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# The make targets run Gugus on a developer's machine: development mode, said explicitly
# (unset, GUGUS_DEBUG means production).
export GUGUS_DEBUG ?= 1

.PHONY: run test fuzz bench bench-national reliability restore-drill worker-drill hostile-drill soak lint format messages openapi clean compile-messages prod prod-stop

$(BIN)/python:
	@bash scripts/ensure-system.sh python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed-run: $(BIN)/python pyproject.toml requirements.lock
	$(BIN)/pip install -q -c requirements.lock -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed-run
	$(BIN)/pip install -q -c requirements.lock -e '.[dev]'
	@touch $@

compile-messages: $(VENV)/.installed-run
	@$(BIN)/pybabel -q compile -d src/gugus/locale -D django

run: $(VENV)/.installed-run compile-messages
	@mkdir -p var
	$(BIN)/gugus migrate --noinput -v 0
	$(BIN)/gugus seed --scale demo --if-empty
	$(BIN)/gugus demo_accounts
	@echo "Gugus: http://127.0.0.1:$(PORT)/ (background jobs: gugus worker)"
	@bash scripts/serve.sh $(PORT)

# Production mode on this machine: PostgreSQL, gunicorn, the worker and nginx (TLS) on
# https://127.0.0.1:8443/ (scripts/prod.sh says how to choose the ports and directory).
prod: $(VENV)/.installed-run compile-messages
	@bash scripts/prod.sh start

prod-stop:
	@bash scripts/prod.sh stop

test: $(VENV)/.installed-dev compile-messages
	@bash scripts/test.sh

# The API fuzzed longer than in `make test` (schemathesis, three roles, both databases).
fuzz: $(VENV)/.installed-dev compile-messages
	GUGUS_FUZZ_EXAMPLES=$${GUGUS_FUZZ_EXAMPLES:-100} bash scripts/test.sh tests/api_fuzz

bench: $(VENV)/.installed-dev compile-messages
	@bash scripts/bench.sh

# Every domain seeded at three scales up to the nation, its pages, jobs and imports timed
# (hours; BENCH_DBS, BENCH_SCALES and BENCH_STAGES narrow it: scripts/bench-national.sh).
bench-national: $(VENV)/.installed-dev compile-messages
	@bash scripts/bench-national.sh

# The long reliability drills (scripts/reliability.sh), each writing its section of
# docs/reliability.md; restore-drill is the backup restored and compared at provinsi scale.
reliability: $(VENV)/.installed-dev compile-messages
	@bash scripts/reliability.sh
	@bash scripts/soak.sh

restore-drill: $(VENV)/.installed-dev compile-messages
	@bash scripts/reliability.sh restore

# The real worker killed at random points of each kind of job, 25 times per job.
worker-drill: $(VENV)/.installed-dev compile-messages
	@bash scripts/reliability.sh workers

# Every hostile file offered to every import, on both databases.
hostile-drill: $(VENV)/.installed-dev compile-messages
	@bash scripts/reliability.sh hostile

# Ten minutes of mixed traffic against `make prod` with PostgreSQL restarted halfway.
soak: $(VENV)/.installed-dev compile-messages
	@bash scripts/soak.sh

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Refresh the Indonesian catalogue after changing translatable strings (needs gettext).
messages: $(VENV)/.installed-dev
	cd src/gugus && ../../$(BIN)/gugus makemessages -l id --no-location --no-obsolete \
		--ignore '*/migrations/*'

openapi: $(VENV)/.installed-dev
	$(BIN)/gugus export_openapi_schema --api gugus.api.api --indent 2 \
		--output docs/api/openapi.json

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
