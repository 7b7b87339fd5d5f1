# The two commands a new machine needs: `make serve` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: serve test check build preview live bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

serve: $(STAMP)
	$(BIN)/rutinportal roster import demo/personal.csv
	NO_MKDOCS_2_WARNING=1 $(BIN)/rutinportal serve --auth dev --host 127.0.0.1 --port 8000

test: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/python -m pytest

check: $(STAMP)
	$(BIN)/rutinportal check

build: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/rutinportal build

preview: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/rutinportal build --preview

# Live preview for the coordinator while writing: drafts included, reloads on save.
live: $(STAMP)
	NO_MKDOCS_2_WARNING=1 RUTINPORTAL_PREVIEW=1 $(BIN)/mkdocs serve --livereload --dev-addr 127.0.0.1:8001

clean:
	rm -rf site site-preview .pytest_cache
