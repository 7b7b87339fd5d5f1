# The two commands a new machine needs: `make serve` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: serve test check build preview live bench screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

serve: $(STAMP)
	$(BIN)/rutinportal roster import demo/personal.csv
	$(BIN)/rutinportal serve --auth dev --host 127.0.0.1 --port 8000

# One worker per core (at most four): the suite is CPU-bound on the CI machine's two cores.
test: $(STAMP)
	$(BIN)/python -m pytest -n auto --maxprocesses 4 --dist loadfile

check: $(STAMP)
	$(BIN)/rutinportal check

build: $(STAMP)
	$(BIN)/rutinportal build

preview: $(STAMP)
	$(BIN)/rutinportal build --preview

# Live preview for the coordinator while writing: drafts included, reloads on save.
live: $(STAMP)
	$(BIN)/properdocs serve --livereload -f mkdocs-preview.yml --dev-addr 127.0.0.1:8001

# Benchmarks (bench/run.py; 10–20 minutes on 2 cores): never part of `make test`.
# Tables on the terminal, everything in var/bench/results.json. BENCH_ARGS=--quick: a smoke run.
BENCH_STAMP := $(VENV)/.bench-installed
$(BENCH_STAMP): pyproject.toml | $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $(BENCH_STAMP)

bench: $(STAMP) $(BENCH_STAMP)
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# Screenshots of every page type at phone and desktop size, taken by the accessibility tests
# into var/screenshots/ (git-ignored); the README's few are copied to screenshots/ (committed,
# outside docs/ so they are never published).
SHOTS := phone-routine phone-quiz-answered phone-reading-list desktop-dashboard desktop-register

screenshots: $(STAMP)
	rm -f var/screenshots/*.png
	$(BIN)/python -m pytest -q \
		tests/browser/test_accessibility.py -k "page_type or after_answering"
	mkdir -p screenshots
	for shot in $(SHOTS); do cp var/screenshots/$$shot.png screenshots/$$shot.png || exit 1; done

clean:
	rm -rf site site-preview .rutinportal-builds .pytest_cache
