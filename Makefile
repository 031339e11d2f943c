# Every target creates and reuses the local .venv by itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SHARED ?= ../shared
VNU := .tools/node_modules/vnu-jar/build/dist/vnu.jar

.PHONY: build serve test lint unit system-deps fuzz golden eval bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## Build the bundled sample archive into output/ (then: make serve).
build: $(STAMP)
	$(BIN)/gleanery build

## Build, then serve the sample archive on http://127.0.0.1:8000/ and rebuild on change.
serve: $(STAMP)
	$(BIN)/gleanery serve --watch

## The whole test suite: lint, types, a short fuzzing run, then unit, golden site, browser (pytest last, so its summary closes the output).
test: lint fuzz unit

lint: $(STAMP)
	$(BIN)/ruff check generator tests
	$(BIN)/ruff format --check generator tests
	$(BIN)/mypy

unit: $(STAMP) system-deps $(VNU)
	$(BIN)/pytest -q

## Debian's chromium (never a browser download) and disorderfs (directory-order check),
## installed when we are root; elsewhere the tests that need them say why they skip.
system-deps:
	@if { [ ! -x /usr/bin/chromium ] || ! command -v disorderfs >/dev/null; } \
		&& [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq chromium disorderfs >/dev/null) \
		|| echo "could not install chromium/disorderfs: their tests will say why they skip"; \
	fi

## The Nu HTML checker (npm vnu-jar, run with the machine's Java) for the validity test.

$(VNU):
	@if command -v npm >/dev/null; then \
		npm install --prefix .tools --no-audit --no-fund --silent vnu-jar \
		|| echo "could not install vnu-jar: the HTML validity test will say why it skips"; \
	fi

## A short coverage-guided fuzzing run of decode + parse + render (atheris).
FUZZ_SECONDS ?= 30
fuzz: $(STAMP)
	$(BIN)/python tests/fuzz/fuzz_parse_render.py -max_total_time=$(FUZZ_SECONDS)

## Regenerate the checked-in golden site after an intended change (review the diff!).
golden: $(STAMP)
	$(BIN)/python -m tests.golden regenerate

## Score the dump parser on the shared development corpus (needs ../shared).
eval: $(STAMP)
	$(PYTHON) $(SHARED)/eval/evaluate.py --data $(SHARED)/corpus/dev --by dataset,lang \
		--chunk 1000 -- $(BIN)/gleanery inspect --json

## Build-speed benchmark (see README); COUNTS="1000 10000" for the full table.
COUNTS ?= 1000
bench: $(STAMP)
	$(BIN)/python -m tests.bench.run --count $(COUNTS)

clean:
	rm -rf output output.spare output.staging-* output.old-* .gleanery-cache
