# Two commands for a fresh machine with Python 3.11:
#   make serve   build the sample portal (strict) and serve it on http://127.0.0.1:8000/
#   make test    run the whole test suite
# Everything runs from a local virtualenv (.venv) and node_modules/ (Decap CMS) that the first command creates.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build serve test clean

$(STAMP): pyproject.toml package-lock.json
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	npm ci --no-audit --no-fund --loglevel=error
	touch $(STAMP)

# The sample portal is built for the address `make serve` serves it on; set PORTAL_SITE_URL for a real site.
build: $(STAMP)
	PORTAL_SITE_URL="$${PORTAL_SITE_URL:-http://127.0.0.1:8000}" $(BIN)/invoke build

serve: $(STAMP)
	$(BIN)/invoke serve

test: $(STAMP)
	$(BIN)/invoke test

clean:
	rm -rf output .output.staging .output.old $(VENV) node_modules
