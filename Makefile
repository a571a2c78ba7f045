# Two commands on a fresh machine (Python 3.11 + PyPI): `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: setup run test test-fast typecheck lint eval eval-cv eval-clusters eval-pairs train train-linkage bench-consolidation corpus-status check-text docs serve server ui bench clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)                 ## create .venv with pinned dependencies

run: $(STAMP)                   ## ingest seeds/ into warehouse/
	$(BIN)/dealwatch run --inbox seeds --warehouse warehouse

test: $(STAMP)                  ## lint + format check + type check + the whole test suite (includes a real Prefect server)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest

test-fast: $(STAMP)             ## the edit-run loop: lint + the tests needing no Prefect server, Dask or training (< 1 min)
	$(BIN)/ruff check .
	$(BIN)/pytest -q -m "not e2e and not server and not slow"

typecheck: $(STAMP)             ## mypy over core, schemas and the pure stages (settings in pyproject.toml)
	$(BIN)/mypy

lint: $(STAMP)
	$(BIN)/ruff check .

eval: $(STAMP)                  ## extraction scores on the seeds
	$(BIN)/dealwatch eval --set seeds

eval-cv: $(STAMP)               ## grouped cross-validation of the learned extraction (one labelled set held out at a time)
	$(BIN)/dealwatch eval --cv

train: $(STAMP)                 ## cross-validate, then rebuild the committed model files from every labelled set
	$(BIN)/dealwatch train

train-linkage: $(STAMP)         ## re-estimate the consolidation's splink models (EM, u sampling) from every labelled set's articles
	$(BIN)/dealwatch train --linkage --partial

eval-clusters: $(STAMP)         ## consolidation scores on the labelled cluster set (texts from the corpus cache)
	$(BIN)/dealwatch eval --clusters

eval-pairs: $(STAMP)            ## hand check of linked pairs: sample per kind and score band, merge eval/handcheck verdicts
	$(BIN)/dealwatch eval --pairs-sample --partial --out build/pairs-sample.csv

eval-%: $(STAMP)                ## scores on a labelled set (texts from the corpus cache): eval-devset, eval-final2, ...
	$(BIN)/dealwatch eval --set $*

corpus-status: $(STAMP)         ## which labelled articles the local corpus cache holds
	$(BIN)/dealwatch corpus status

check-text: $(STAMP)            ## fail if a tracked file holds a 40-character run of a cached article
	$(BIN)/dealwatch corpus scan

docs: $(STAMP)                  ## regenerate docs/data-dictionary.md from schemas/
	$(BIN)/dealwatch docs

server: $(STAMP)                ## a local Prefect server + UI on http://127.0.0.1:4200
	$(BIN)/prefect server start

serve: $(STAMP)                 ## serve the deployments (needs PREFECT_API_URL of a server)
	$(BIN)/dealwatch serve --inbox seeds --warehouse warehouse

bench: $(STAMP)                 ## throughput, memory, Prefect overhead and Dask figures (printed)
	$(BIN)/python -m benchmarks.run

bench-consolidation: $(STAMP)   ## consolidation cost against corpus size, with reposted stories (printed)
	$(BIN)/python -m benchmarks.consolidation

ui: $(STAMP)                    ## local Prefect server + UI with the deployments served; Ctrl-C stops both
	$(BIN)/dealwatch ui

clean:
	rm -rf $(VENV) warehouse/.dealwatch $(addprefix warehouse/,documents document_texts segments events deals signing_totals people rejects runs files) .prefect
