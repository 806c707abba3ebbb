# The two commands of the README. Both create the virtual environment on first use.
VENV ?= .venv
PY := $(VENV)/bin/python
# The agencies' documents beside the checkout, else the copies kept with the tests.
SEEDS ?= $(firstword $(wildcard ../shared/seeds) tests/importers/fixtures/seeds)
OUT ?= build/imported

.PHONY: run test lint setup clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

setup: $(VENV)/.installed

# Main job on the embedded default: import the seed documents, check the curated library,
# draw one SOP and the whole book as PDF.
run: setup
	$(VENV)/bin/alur import $(SEEDS)/*.txt -o $(OUT) --force --quiet
	$(VENV)/bin/alur check --quiet examples/library/*.yaml
	$(VENV)/bin/alur render examples/library/surat-ijin-cuti.yaml -o build/surat-ijin-cuti.pdf
	$(VENV)/bin/alur book examples/library -o build/buku-sop.pdf
	$(VENV)/bin/alur show examples/library/surat-ijin-cuti.yaml

# Lint and the whole test suite; exits non-zero when no test ran.
test: setup
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/python -m pytest -q

clean:
	rm -rf $(VENV) build .pytest_cache .hypothesis
