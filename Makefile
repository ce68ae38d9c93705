# One-command workflows. Everything runs inside .venv, created on first use
# from the pinned requirements.lock.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: site check serve edit fmt guide-screenshots test lint bench clean schemas messages

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

## Build the sample catalogue into site/ (atomically: site/ is replaced only on success).
site: $(STAMP)
	$(BIN)/ocop build

## Validate the catalogue only: every problem as path:line:col: field: message.
check: $(STAMP)
	$(BIN)/ocop check

## Live preview on http://127.0.0.1:8000/ ; a part of a big catalogue with
## make serve PREVIEW="province:An Giang"   or   make serve PREVIEW=products:500
serve: $(STAMP)
	OCOP_PREVIEW="$(PREVIEW)" $(BIN)/mkdocs serve

## The web editor on this computer: http://127.0.0.1:8000/quan-tri/ writes into this
## working copy (decap-server, installed with npm on first use), beside a live preview.
edit: $(STAMP)
	OCOP_PREVIEW="$(PREVIEW)" $(BIN)/ocop edit

## Screenshots of the web editor for the publishing guide, taken by its browser tests.
guide-screenshots: $(STAMP)
	OCOP_GUIDE_SCREENSHOTS=content/anh/huong-dan $(BIN)/python -m pytest -q -p no:randomly tests/browser/test_web_editor.py

## Put every record file in the canonical form (the form the web editor writes).
fmt: $(STAMP)
	$(BIN)/ocop fmt

## Regenerate the JSON Schemas staff editors use (generator/schemas/*.json).
schemas: $(STAMP)
	$(BIN)/ocop schemas

## Extract the interface text of code and templates and add new strings to each
## language's catalogue (generator/locale/<code>/LC_MESSAGES/messages.po), to translate.
messages: $(STAMP)
	mkdir -p build
	$(BIN)/pybabel -q extract -F babel.cfg --no-location --sort-output --omit-header \
		-o build/messages.pot generator theme
	$(BIN)/pybabel -q update -i build/messages.pot -d generator/locale --no-fuzzy-matching \
		--omit-header --no-wrap

lint: $(STAMP)
	$(BIN)/ruff check generator tests tools

test: $(STAMP) lint
	$(BIN)/python -m pytest

clean:
	rm -rf site .cache build

## Benchmark at province and national scale against plain Material (prints figures).
bench: $(STAMP)
	$(BIN)/python tools/bench.py

## Photo figures: cold throughput, warm rebuild, image bytes per page at 360/1280 px.
bench-images: $(STAMP)
	$(BIN)/python tools/bench_images.py

## Search benchmark: synthetic province (600 products) and national (20,000) catalogues,
## built and searched in Chromium; prints the bytes a phone transfers per query.
## Takes minutes (the national build); not part of `make test`.
.PHONY: bench-search
bench-search: $(STAMP)
	$(BIN)/python tools/bench_search.py

## Lighthouse (mobile) on the sample site's home, a product, the finder and the map:
## median of three runs a page, printed as a table. Needs Node and Chromium.
## What one camera photo costs the pipeline (CPU, bytes per page, SSIM), before and
## after the issue-17 settings; installs the benchmark-only requirements-bench.lock.
.PHONY: bench-photos
bench-photos: $(STAMP)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-bench.lock
	$(BIN)/python tools/bench_photos.py

.PHONY: bench-web
bench-web: $(STAMP)
	$(BIN)/python tools/bench_web.py

## The README's screenshots (docs/screenshots/): main page kinds at 360 and 1280 px.
.PHONY: screenshots
screenshots: $(STAMP)
	$(BIN)/python tools/screenshots.py
