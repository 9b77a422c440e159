# The README's two commands are `make run` and `make test`; the rest are steps of them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
RASA := PYTHONPATH=$(CURDIR) $(VENV)/bin/rasa
MODEL := models/current.tar.gz
STAMP := $(VENV)/.installed
WEB_STAMP := web/node_modules/.installed
# Rasa's training cache ignores component code, hence --force whenever an input changed.
# The intent classifier reads identifiers and dates as placeholders (bot/intent_text.py).
TRAIN_INPUTS := config.yml domain.yml $(wildcard data/*.yml) $(wildcard nlu/*.py) \
	bot/intent_text.py bot/normalize.py $(wildcard bot/dates/*.py)

.PHONY: help install train run test unit validate conversations e2e browser prod-local scale-out chaos eval eval-dialogues nlu-components bench bench-prod fuzz bench-dates lint lock clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

install: $(STAMP) $(WEB_STAMP) ## Create .venv (Python 3.10), the pinned dependencies, the web widget

$(STAMP): requirements.txt requirements-dev.txt constraints.txt scripts/install.sh
	scripts/install.sh
	@touch $@

$(WEB_STAMP): web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	@touch $@

train: $(MODEL) ## Train the model if the data, domain or config changed

$(MODEL): $(STAMP) $(TRAIN_INPUTS)
	$(RASA) train --force --fixed-model-name current --out models
	@touch $@

run: install train ## Start the assistant (action server + Rasa server) and a console chat
	scripts/run.sh

test: install lint unit validate train conversations e2e browser scale-out chaos ## Run every test; non-zero on any failure

lint: $(STAMP) ## ruff
	$(VENV)/bin/ruff check .

unit: $(STAMP) ## Unit tests (and PostgreSQL ones when its server is installed)
	scripts/with_postgres.sh $(PY) -m pytest tests --ignore=tests/e2e --ignore=tests/channels/e2e --ignore=tests/browser --ignore=tests/prod --ignore=tests/chaos -q

validate: $(STAMP) ## Check the training data and the domain against each other
	$(RASA) data validate --fail-on-warnings

conversations: $(MODEL) ## Rasa test stories, failing on any wrong prediction
	scripts/test_conversations.sh

e2e: $(MODEL) ## End-to-end tests: real servers over REST and the messaging channels
	$(PY) -m pytest tests/e2e tests/channels/e2e -q

browser: $(MODEL) $(WEB_STAMP) ## The chat widget in headless Chromium against real servers
	$(PY) -m pytest tests/browser -q

prod-local: install train ## The production topology on loopback (PostgreSQL, Redis, nginx, 2+2 servers)
	scripts/prod_local.sh

scale-out: $(MODEL) ## Starts prod-local on free ports: concurrency, failover, socket.io across servers
	$(PY) -m pytest tests/prod -q

chaos: $(MODEL) ## Faults injected into prod-local (actions, database, Rasa restart); prints a report
	$(PY) -m pytest tests/chaos -q

eval: $(MODEL) ## Held-out NLU scores (intents, F1, entities) and conversations
	PYTHONPATH=$(CURDIR) $(PY) scripts/eval_nlu.py
	$(MAKE) --no-print-directory eval-dialogues

nlu-components: $(STAMP) ## What each understanding component pays (F1, ms, training), about 10 min
	PYTHONPATH=$(CURDIR) $(PY) scripts/nlu_components.py --json results/nlu_components.json

eval-dialogues: $(MODEL) ## Play the held-out conversations (dev set, then blind set)
	$(PY) scripts/eval_dialogues.py --set tests/dialogues/heldout
	$(PY) scripts/eval_dialogues.py --set tests/dialogues/blind --json results/dialogues-blind.json

bench: $(MODEL) ## Simulated customers on the embedded stack: latency, capacity, SMS (~3 min)
	$(PY) scripts/bench.py

bench-prod: $(MODEL) ## The same benchmark against make prod-local, started and stopped here
	scripts/bench_prod_local.sh

fuzz: $(MODEL) ## 10,000 hostile messages over REST: no 5xx, the server up, every tracker loads
	$(PY) scripts/fuzz_rest.py --count 10000

bench-dates: $(STAMP) ## Our date resolver vs dateparser and Duckling (separate venv)
	scripts/bench_dates.sh --set tests/dates/heldout.yml --set tests/dates/dev.yml

lock: $(STAMP) ## Re-resolve constraints.txt from requirements-dev.txt in a scratch venv
	rm -rf /tmp/lock-venv && $$($(PY) -c 'import sys; print(sys._base_executable)') -m venv /tmp/lock-venv
	/tmp/lock-venv/bin/pip install -q -r requirements-dev.txt && /tmp/lock-venv/bin/pip check
	(head -1 constraints.txt; /tmp/lock-venv/bin/pip freeze) > constraints.txt.new && mv constraints.txt.new constraints.txt

clean: ## Remove trained models, the local database and test results
	rm -rf models var results .pytest_cache
