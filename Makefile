# The two commands of the README. Both create the virtual environment on first use.
VENV ?= .venv
PY := $(VENV)/bin/python
# The agencies' documents beside the checkout, else the copies kept with the tests.
SEEDS ?= $(firstword $(wildcard ../shared/seeds) tests/importers/fixtures/seeds)
OUT ?= build/imported

.PHONY: run documents test setup tools clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

setup: $(VENV)/.installed

# Main job on the embedded default (SQLite in ./data, no services): the web application with
# the demo library, organisation and one user per role; it prints how to log in.
run: setup
	$(VENV)/bin/alur demo

# The file jobs: import the seed documents, check the curated library, draw the PDFs.
documents: setup
	$(VENV)/bin/alur import $(SEEDS)/*.txt -o $(OUT) --force --quiet
	$(VENV)/bin/alur check --quiet examples/library/*.yaml
	$(VENV)/bin/alur render examples/library/surat-ijin-cuti.yaml -o build/surat-ijin-cuti.pdf
	$(VENV)/bin/alur book examples/library -o build/buku-sop.pdf

# Lint, types (mypy with the Django plugin, configured in pyproject.toml), the whole suite on
# SQLite, then the database-backed tests again on PostgreSQL (127.0.0.1:5432, database `test`;
# set ALUR_TEST_POSTGRES to another URL, or to "skip").
# Each pytest run fails when it collects no test.
ALUR_TEST_POSTGRES ?= postgres://postgres@127.0.0.1:5432/test
test: setup tools
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/mypy
	ALUR_DATA_DIR=$$(mktemp -d) $(VENV)/bin/python -m pytest -q
	@if [ "$(ALUR_TEST_POSTGRES)" = "skip" ]; then echo "PostgreSQL run skipped (ALUR_TEST_POSTGRES=skip)"; \
	else ALUR_DATA_DIR=$$(mktemp -d) DATABASE_URL=$(ALUR_TEST_POSTGRES) $(VENV)/bin/python -m pytest -q tests/web; fi

# What the tests need from Debian, installed when missing (tools/debian_tools.sh says which).
tools:
	@sh tools/debian_tools.sh

clean:
	rm -rf $(VENV) build .pytest_cache .hypothesis
