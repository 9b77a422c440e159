#!/usr/bin/env bash
# `make bench-prod`: scripts/bench.py against `make prod-local` (2 Rasa and 2 action
# servers behind nginx, PostgreSQL, Redis), started here with the benchmark's SMS
# sink as its gateway, on its own state (var/bench-prod) and ports, then stopped.
set -euo pipefail
cd "$(dirname "$0")/.."
BASE="${PROD_BASE_PORT:-8300}"
STATE="$(realpath -m var/bench-prod)"
SINK=$((BASE + 90))
TOKEN="bench-$(date +%s)"
TODAY=2026-12-01

rm -rf "$STATE"
PROD_BASE_PORT=$BASE PROD_STATE_DIR="$STATE" BOT_TODAY=$TODAY SUPPORT_HOURS=always \
  SMS_PROVIDER=http SMS_HTTP_URL="http://127.0.0.1:$SINK/sms" SMS_HTTP_TOKEN="$TOKEN" \
  setsid scripts/prod_local.sh >"$STATE.out" 2>&1 &
stack=$!
trap 'kill -TERM -- -$stack 2>/dev/null || true; wait $stack 2>/dev/null || true' EXIT
for _ in $(seq 360); do
  [ -f "$STATE/run/ready" ] && break
  kill -0 $stack 2>/dev/null || { cat "$STATE.out" >&2; exit 2; }
  sleep 1
done
[ -f "$STATE/run/ready" ] || { echo "prod-local did not start" >&2; exit 2; }

# NAME=PID: the report names each server as prod_local.sh does (run/NAME.pid).
pids=()
for name in rasa-1 rasa-2 actions-1 actions-2 dispatcher; do
  pids+=("$name=$(cat "$STATE/run/$name.pid")")
done
# REST goes through nginx's inside entry (the customers' one serves no REST).
.venv/bin/python scripts/bench.py --profile prod-local --today $TODAY \
  --url "http://127.0.0.1:$((BASE + 1))" \
  --database-url "postgresql://postgres@127.0.0.1:$((BASE + 60))/bot" \
  --pids "${pids[@]}" --sink-port $SINK --sms-token "$TOKEN" \
  --actions-metrics "http://127.0.0.1:$((BASE + 20))/metrics" \
  "http://127.0.0.1:$((BASE + 21))/metrics"
