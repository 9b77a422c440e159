#!/usr/bin/env bash
# Conversation tests: Rasa test stories, failing on any wrong intent or action.
# Custom actions run on a real action server, started here on a free port.
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
work=$(mktemp -d)
export DATABASE_URL="sqlite:///$work/bot.db"
port=$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# The project's endpoints.yml, reading the action server's URL from the environment.
export ACTION_SERVER_URL="http://127.0.0.1:$port/webhook"
ACTION_SERVER_TOKEN="$(.venv/bin/python -c 'import secrets; print(secrets.token_hex(16))')"
export ACTION_SERVER_TOKEN

.venv/bin/python -m actions.server --port "$port" >"$work/actions.log" 2>&1 &
actions_pid=$!
trap 'kill $actions_pid 2>/dev/null || true; rm -rf "$work"' EXIT
.venv/bin/python scripts/wait_ready.py "http://127.0.0.1:$port/health" --pids "$actions_pid" --timeout 120 \
  || { cat "$work/actions.log"; exit 1; }

.venv/bin/rasa test core --model models/current.tar.gz --stories tests/conversations \
  --endpoints endpoints.yml --out results/conversations --fail-on-prediction-errors
