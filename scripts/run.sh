#!/usr/bin/env bash
# Start the action server and the Rasa server on loopback, then a console chat.
# Ctrl-C (or leaving the chat) stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
RASA_PORT="${RASA_PORT:-5005}"
ACTIONS_PORT="${ACTIONS_PORT:-5055}"
WEB_PORT="${WEB_PORT:-8080}"
mkdir -p var/log

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "Assistant arrêté / assistant stopped."
}
trap stop INT TERM EXIT

.venv/bin/python -m bot seed
# REST, socket.io and each messaging channel whose secrets are in the environment.
.venv/bin/python -m channels --out var/credentials.yml

.venv/bin/rasa run actions --port "$ACTIONS_PORT" >var/log/actions.log 2>&1 &
pids+=($!)
# Sends the outbox (SMS_PROVIDER, default console: the texts land in the log).
.venv/bin/python -m bot dispatch >var/log/dispatch.log 2>&1 &
pids+=($!)
.venv/bin/rasa run --enable-api --interface 127.0.0.1 --port "$RASA_PORT" \
  --model models/current.tar.gz --credentials var/credentials.yml --endpoints endpoints.yml \
  --cors "http://127.0.0.1:$RASA_PORT" "http://127.0.0.1:$WEB_PORT" >var/log/rasa.log 2>&1 &
pids+=($!)
# The demo page with the chat widget (web/; `make install` runs npm ci there).
RASA_URL="http://127.0.0.1:$RASA_PORT" .venv/bin/python scripts/serve_web.py --port "$WEB_PORT" >var/log/web.log 2>&1 &
pids+=($!)

echo "Démarrage de l'assistant (environ 40 s) / starting the assistant (about 40 s)..."
.venv/bin/python scripts/wait_ready.py "http://127.0.0.1:$ACTIONS_PORT/health" \
  "http://127.0.0.1:$RASA_PORT/status" "http://127.0.0.1:$WEB_PORT/config.js" --pids "${pids[@]}" --timeout 180 \
  || { echo "Échec du démarrage, voir var/log/ / start-up failed, see var/log/" >&2; exit 1; }

cat <<BANNER

  ============================================================================
   Assistant prêt / assistant ready
   Web       http://127.0.0.1:$WEB_PORT/   page de démonstration + widget / demo page + chat widget
   REST      http://127.0.0.1:$RASA_PORT/webhooks/rest/webhook
   socket.io http://127.0.0.1:$RASA_PORT/socket.io/
   Actions   http://127.0.0.1:$ACTIONS_PORT/webhook      Logs: var/log/
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
