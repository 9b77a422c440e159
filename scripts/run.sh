#!/usr/bin/env bash
# Start the action server and the Rasa server on loopback, then a console chat.
# Ctrl-C (or leaving the chat) stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
RASA_PORT="${RASA_PORT:-5005}"
ACTIONS_PORT="${ACTIONS_PORT:-5055}"
WEB_PORT="${WEB_PORT:-8080}"
CONSOLE_PORT="${CONSOLE_PORT:-8081}"
mkdir -p var/log
# Every URL comes from the ports above: endpoints.yml reads ACTION_SERVER_URL.
export ACTION_SERVER_URL="http://127.0.0.1:$ACTIONS_PORT/webhook"
export RASA_API_URL="http://127.0.0.1:$RASA_PORT"
# Rasa's HTTP API accepts only JWTs signed with this secret (the agent console's);
# without RASA_JWT_SECRET, a random one is kept in var/rasa_jwt_secret.
if [ -z "${RASA_JWT_SECRET:-}" ]; then
  [ -s var/rasa_jwt_secret ] || (umask 077; .venv/bin/python -c 'import secrets; print(secrets.token_hex(32))' >var/rasa_jwt_secret)
  RASA_JWT_SECRET="$(cat var/rasa_jwt_secret)"
fi
export RASA_JWT_SECRET
# The action server runs actions only for callers with this token (Rasa, through
# endpoints.yml); without ACTION_SERVER_TOKEN, a random one is kept in var/.
if [ -z "${ACTION_SERVER_TOKEN:-}" ]; then
  [ -s var/action_server_token ] || (umask 077; .venv/bin/python -c 'import secrets; print(secrets.token_hex(32))' >var/action_server_token)
  ACTION_SERVER_TOKEN="$(cat var/action_server_token)"
fi
export ACTION_SERVER_TOKEN
DISPATCH_METRICS_PORT="${DISPATCH_METRICS_PORT:-8082}"

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "Assistant arrêté / assistant stopped."
}
trap stop INT TERM EXIT

.venv/bin/python -m bot seed
# The demo agent of the console, with a new password at each start (demo only).
read -r DEMO_AGENT DEMO_PASSWORD < <(.venv/bin/python -m bot agents demo)
# REST, socket.io and each messaging channel whose secrets are in the environment.
.venv/bin/python -m channels --out var/credentials.yml

.venv/bin/python -m actions.server --port "$ACTIONS_PORT" >var/log/actions.log 2>&1 &
pids+=($!)
# Sends the outbox (SMS_PROVIDER, default console: the texts land in the log).
.venv/bin/python -m bot dispatch --metrics-port "$DISPATCH_METRICS_PORT" >var/log/dispatch.log 2>&1 &
pids+=($!)
.venv/bin/python -m channels.rasa_server run --enable-api --jwt-secret "$RASA_JWT_SECRET" --jwt-method HS256 \
  --interface 127.0.0.1 --port "$RASA_PORT" \
  --model models/current.tar.gz --credentials var/credentials.yml --endpoints endpoints.yml \
  --cors "http://127.0.0.1:$RASA_PORT" "http://127.0.0.1:$WEB_PORT" >var/log/rasa.log 2>&1 &
pids+=($!)
# The agent console: tickets, replies on the customer's channel, callbacks.
.venv/bin/python -m console --port "$CONSOLE_PORT" >var/log/console.log 2>&1 &
pids+=($!)
# The demo page with the chat widget (web/; `make install` runs npm ci there).
RASA_URL="http://127.0.0.1:$RASA_PORT" .venv/bin/python scripts/serve_web.py --port "$WEB_PORT" >var/log/web.log 2>&1 &
pids+=($!)

echo "Démarrage de l'assistant (environ 40 s) / starting the assistant (about 40 s)..."
.venv/bin/python scripts/wait_ready.py "http://127.0.0.1:$ACTIONS_PORT/health" \
  "http://127.0.0.1:$DISPATCH_METRICS_PORT/metrics" "http://127.0.0.1:$RASA_PORT/status" "http://127.0.0.1:$WEB_PORT/config.js" \
  "http://127.0.0.1:$CONSOLE_PORT/" --pids "${pids[@]}" --timeout 180 \
  || { echo "Échec du démarrage, voir var/log/ / start-up failed, see var/log/" >&2; exit 1; }

cat <<BANNER

  ============================================================================
   Assistant prêt / assistant ready
   Web       http://127.0.0.1:$WEB_PORT/   page de démonstration + widget / demo page + chat widget
   REST      http://127.0.0.1:$RASA_PORT/webhooks/rest/webhook
   socket.io http://127.0.0.1:$RASA_PORT/socket.io/
   Console   http://127.0.0.1:$CONSOLE_PORT/   conseillers / agents: $DEMO_AGENT  $DEMO_PASSWORD
   Actions   http://127.0.0.1:$ACTIONS_PORT/webhook      Logs: var/log/
   Metrics   http://127.0.0.1:$ACTIONS_PORT/metrics  http://127.0.0.1:$DISPATCH_METRICS_PORT/metrics
   SMS       var/log/dispatch.log (SMS_PROVIDER=${SMS_PROVIDER:-console})
   Écrivez votre message ci-dessous (« /quitter » ou Ctrl-C pour arrêter).
   Type your message below ("/quitter" or Ctrl-C to stop).
  ============================================================================

BANNER

if [ -t 0 ]; then
  .venv/bin/python scripts/console_chat.py --url "http://127.0.0.1:$RASA_PORT"
else
  wait -n "${pids[@]}"
fi
