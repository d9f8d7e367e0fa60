# Red Steward: every target sets up what it needs; a fresh machine needs only python3.11 and pip.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
HOST   ?= 127.0.0.1
PORT   ?= 8000
# Generated operations per root field in `make fuzz`, each sent as a resident and as staff.
FUZZ_EXAMPLES ?= 200

SCALE  ?= large

.PHONY: help install run messages test test-pg test-clients fuzz lint contract bench bench-smoke wrk faults faults-selfcheck audit lock clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)  ## create .venv and install the pinned dependencies

run: install  ## migrate the SQLite database, seed the demo, serve on http://127.0.0.1:8000 (PORT=…, HOST=…)
	$(BIN)/redsteward migrate
	$(BIN)/redsteward seed-demo
	@echo "start page: http://$(HOST):$(PORT)/   GraphQL explorer (offline GraphiQL): http://$(HOST):$(PORT)/explorer/"
	RS_PUBLIC_BASE_URL="$${RS_PUBLIC_BASE_URL:-http://$(HOST):$(PORT)}" $(BIN)/redsteward serve --host $(HOST) --port $(PORT)

messages: install  ## extract the texts marked N_/label into the Chinese catalog and list what still needs a translation
	$(BIN)/python -m tools.messages

lint: install  ## ruff, mypy and the import contracts of pyproject.toml (layers; strawberry only in api/)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache --no-logo

# The stock-client tests (Node) have their own target and CI stage; the suites below leave them out.
CLIENT_TESTS := tests/contract/test_clients.py
# Two workers; the tests sharing the in-suite demo (xdist_group "demo") run on one of them.
PYTEST := $(BIN)/pytest -n 2 --dist loadgroup --ignore=$(CLIENT_TESTS)
# More pytest arguments: .ci/run gives each pass a `-m` so that every check runs in one pass only.
PYTEST_ARGS ?=

test: lint  ## lint, then the whole pytest suite on SQLite (PostgreSQL-only tests run if a server answers)
	$(PYTEST) $(PYTEST_ARGS)

test-pg: install  ## the whole suite with PostgreSQL as the main database; skips are failures
	RS_TEST_DATABASE_URL=$(PG_URL) RS_REQUIRE_POSTGRES=1 $(PYTEST) $(PYTEST_ARGS)

test-clients: install  ## Apollo Client, urql, graphql-ws and graphql-codegen (npm ci, Node 20) against a production server; a skip fails
	@log=$$(mktemp); $(BIN)/pytest -p no:xdist -q -rs $(CLIENT_TESTS) >$$log 2>&1; status=$$?; cat $$log; \
	  if grep -Eq '[0-9]+ skipped' $$log; then echo "client tests were skipped: CI requires them to run" >&2; status=1; fi; \
	  rm -f $$log; exit $$status

wrk:
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -q wrk >/dev/null; } || \
	  { echo "wrk is missing: install it (sudo apt-get install wrk) and run make again" >&2; exit 1; }

bench: install wrk  ## benchmarks (not tests): the load run on a synthetic city (SCALE=large|medium|small) on SQLite and PostgreSQL against `{ hello }`, ledger posting, 213 volunteers checking in at once, the gate's upload check, a board page + my rank at 100k and 1M transfers
	$(BIN)/python -m bench.load --scale $(SCALE) --database sqlite --database $(PG_URL)
	$(BIN)/python -m bench.ledger_posting
	$(BIN)/python -m bench.ledger_posting $(PG_URL)
	$(BIN)/python -m bench.emergency_checkin
	$(BIN)/python -m bench.upload_gate
	$(BIN)/python -m bench.boards
	$(BIN)/python -m bench.boards $(PG_URL)

faults: install  ## kill -9 under load: 10 rounds of keyed mutations while the server is SIGKILLed (PostgreSQL)
	$(BIN)/python -m tests.support.fault_harness --rounds 10

faults-selfcheck: install  ## the same harness against a server planted with a respond-before-commit bug: must catch it
	$(BIN)/python -m tests.support.fault_harness --rounds 0 --selfcheck-rounds 2

audit: install  ## pip-audit over requirements.lock: fails on a known vulnerability, and when it cannot ask
	$(BIN)/python -m tools.audit_dependencies $(AUDIT_FLAGS)

fuzz: install  ## fuzz every root field of a seeded server as a resident and as staff (FUZZ_EXAMPLES per field)
	RS_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) RS_FUZZ_REPORT=fuzz-report.json $(BIN)/pytest -p no:xdist -q tests/fuzz
	@cat fuzz-report.json

bench-smoke: install wrk  ## the load benchmark end to end on the small city, both databases (CI; no timing asserted)
	$(BIN)/python -m bench.load --scale small --database sqlite --database $(PG_URL) --out $$(mktemp -d)

contract: install  ## regenerate mobile-contract/ (schema.graphql, the persisted-query manifests, operation-ids.json, possible-types.json, errors.md)
	$(BIN)/redsteward export-contract

lock: install  ## re-pin requirements.lock from what .venv holds
	echo "# Exact versions CI tested; \`make\` installs from this file. Regenerate with \`make lock\`." > requirements.lock.new
	$(BIN)/python -m pip freeze --all --exclude-editable | grep -Ev '^(redsteward|pip)==' >> requirements.lock.new
	mv requirements.lock.new requirements.lock

clean:  ## remove the venv and local databases
	rm -rf $(VENV) redsteward.sqlite3*
