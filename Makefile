# The two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
CHROMIUM ?= /usr/bin/chromium
# Two workers on this 2-core machine; browser and concurrency tests included.
PYTEST_ARGS ?= -n 2

export FLASK_APP := wsgi

.PHONY: demo test install lint chromium clean-demo assets

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

chromium:
	@test -x $(CHROMIUM) || { \
	  echo "Installing Debian's Chromium for the browser tests..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core; }

lint: install
	$(BIN)/ruff check .

# axe-core for the accessibility checks in the browser tests (npm registry); Leaflet's
# packages are pinned there too, their files already copied into static/vendor/.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --silent

# Static files under content-hashed names, with gzip and brotli copies (see
# marketplace/web/assets.py); run again after editing anything in static/. It only
# adds files (same content, same name), so a running server keeps what it links;
# `flask digest clean` removes them all.
assets: install
	APP_ENV=development $(BIN)/flask digest compile >/dev/null

test: install assets chromium node_modules/.package-lock.json
	$(BIN)/pytest $(PYTEST_ARGS)

demo: install assets
	./scripts/demo.sh

clean-demo:
	rm -rf instance/marketplace.db* instance/outbox instance/localstripe.pickle
