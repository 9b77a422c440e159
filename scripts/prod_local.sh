#!/usr/bin/env bash
# `make prod-local`: the production topology on loopback. PostgreSQL (domain data and
# Rasa's conversations), Redis (Rasa's locks, socket.io between servers), nginx in
# front of 2 Rasa servers and 2 action servers, the outbox dispatcher, the agent
# console and the widget's page. Debian's postgresql, redis-server and nginx are
# installed when missing. State lives in PROD_STATE_DIR (var/prod): conversations
# and data survive a restart. Ctrl-C (or SIGTERM) stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
PY=.venv/bin/python

# Every port is PROD_BASE_PORT plus a fixed offset (the README lists them).
BASE="${PROD_BASE_PORT:-8000}"
HTTP_PORT=$BASE                 # customers: page, socket.io, webhooks
RASA_API_PORT=$((BASE + 1))     # Rasa's HTTP API for the console (loopback)
ACTIONS_LB_PORT=$((BASE + 2))   # the action servers for Rasa (loopback)
RASA_PORTS=($((BASE + 10)) $((BASE + 11)))
ACTIONS_PORTS=($((BASE + 20)) $((BASE + 21)))
WEB_PORT=$((BASE + 30))
CONSOLE_PORT=$((BASE + 40))
DISPATCH_METRICS_PORT=$((BASE + 50))
PG_PORT=$((BASE + 60))
REDIS_PORT=$((BASE + 70))
STATE="$(realpath -m "${PROD_STATE_DIR:-var/prod}")"

missing=()
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
[ -n "$pg_bin" ] || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installation de ${missing[*]} / installing ${missing[*]}..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

mkdir -p "$STATE"/{log,run,nginx,redis}
# nginx's workers (nobody) and PostgreSQL (postgres) go through it; secrets are 0600.
chmod 755 "$STATE"
rm -f "$STATE"/run/*
as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -f "$STATE"/run/*
  as_postgres "$pg_bin/pg_ctl" -D "$STATE/pg" -m fast stop >/dev/null 2>&1 || true
  echo "Profil de production arrêté / production profile stopped."
}
trap stop INT TERM EXIT

# start NAME COMMAND...: run in the background, log to $STATE/log/NAME.log. The
# command is kept in run/NAME.cmd: with run/env.sh, a replica can be started again
# by hand (`source run/env.sh; eval "$(cat run/rasa-1.cmd)"`), as the chaos tests do.
start() {
  local name=$1
  shift
  printf '%q ' "$@" >"$STATE/run/$name.cmd"
  "$@" >"$STATE/log/$name.log" 2>&1 &
  pids+=($!)
  echo $! >"$STATE/run/$name.pid"
}

# PostgreSQL: one cluster, the domain database and Rasa's tracker store.
if [ ! -s "$STATE/pg/PG_VERSION" ]; then
  [ "$(id -u)" = 0 ] && chown postgres "$STATE"
  as_postgres "$pg_bin/initdb" -D "$STATE/pg" -U postgres --auth=trust -E UTF8 >/dev/null
fi
if [ "$(id -u)" = 0 ]; then
  touch "$STATE/log/postgresql.log"
  chown -R postgres "$STATE/pg" "$STATE/log/postgresql.log"
fi
as_postgres "$pg_bin/pg_ctl" -D "$STATE/pg" -l "$STATE/log/postgresql.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k /tmp" start >/dev/null
for db in bot rasa; do
  as_postgres "$pg_bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1 \
    || as_postgres "$pg_bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres "$db"
done
export DATABASE_URL="postgresql://postgres@127.0.0.1:$PG_PORT/bot"
export TRACKER_STORE_URL="postgresql://postgres@127.0.0.1:$PG_PORT/rasa"

start redis redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$STATE/redis" \
  --save "" --appendonly no
export LOCK_STORE_URL="redis://127.0.0.1:$REDIS_PORT/0"

# The secrets of make run, kept in the state directory unless given.
secret() {
  [ -s "$STATE/$1" ] || (umask 077; $PY -c 'import secrets; print(secrets.token_hex(32))' >"$STATE/$1")
  cat "$STATE/$1"
}
export RASA_JWT_SECRET="${RASA_JWT_SECRET:-$(secret rasa_jwt_secret)}"
export ACTION_SERVER_TOKEN="${ACTION_SERVER_TOKEN:-$(secret action_server_token)}"
export BOT_SECRET_KEY="${BOT_SECRET_KEY:-$(secret bot_secret_key)}"
export ACTION_SERVER_URL="http://127.0.0.1:$ACTIONS_LB_PORT/webhook"
export RASA_API_URL="http://127.0.0.1:$RASA_API_PORT"
export RASA_URL="http://127.0.0.1:$HTTP_PORT"
export LOG_FORMAT="${LOG_FORMAT:-json}"

(umask 077; for name in DATABASE_URL TRACKER_STORE_URL LOCK_STORE_URL RASA_JWT_SECRET \
  ACTION_SERVER_TOKEN BOT_SECRET_KEY ACTION_SERVER_URL RASA_API_URL RASA_URL LOG_FORMAT; do
  printf 'export %s=%q\n' "$name" "${!name}"
done >"$STATE/run/env.sh")

$PY -m bot seed
read -r DEMO_AGENT DEMO_PASSWORD < <($PY -m bot agents demo)
$PY -m channels --out "$STATE/credentials.yml"

sed -e "s#@STATE@#$STATE#g" -e "s/@HTTP@/$HTTP_PORT/" -e "s/@RASA_API@/$RASA_API_PORT/" \
  -e "s/@ACTIONS@/$ACTIONS_LB_PORT/" -e "s/@WEB@/$WEB_PORT/" \
  -e "s/@RASA_1@/${RASA_PORTS[0]}/g" -e "s/@RASA_2@/${RASA_PORTS[1]}/g" \
  -e "s/@ACTIONS_1@/${ACTIONS_PORTS[0]}/g" -e "s/@ACTIONS_2@/${ACTIONS_PORTS[1]}/g" \
  deploy/nginx/prod-local.conf.template >"$STATE/nginx.conf"
"$NGINX" -t -q -c "$STATE/nginx.conf" -p "$STATE/nginx" 2>"$STATE/log/nginx-test.log" \
  || { cat "$STATE/log/nginx-test.log" >&2; exit 1; }
start nginx "$NGINX" -c "$STATE/nginx.conf" -p "$STATE/nginx"

for i in 0 1; do
  start "actions-$((i + 1))" $PY -m actions.server --port "${ACTIONS_PORTS[$i]}"
done
start dispatcher $PY -m bot dispatch --metrics-port "$DISPATCH_METRICS_PORT"
for i in 0 1; do
  start "rasa-$((i + 1))" $PY -m channels.rasa_server run --enable-api --jwt-secret "$RASA_JWT_SECRET" \
    --jwt-method HS256 --interface 127.0.0.1 --port "${RASA_PORTS[$i]}" \
    --model models/current.tar.gz --credentials "$STATE/credentials.yml" \
    --endpoints endpoints.yml --cors "$RASA_URL"
done
start console $PY -m console --port "$CONSOLE_PORT"
start web $PY scripts/serve_web.py --port "$WEB_PORT"

echo "Démarrage du profil de production / starting the production profile..."
ready=("http://127.0.0.1:$HTTP_PORT/config.js" "http://127.0.0.1:$RASA_API_PORT/status"
  "http://127.0.0.1:$CONSOLE_PORT/" "http://127.0.0.1:$DISPATCH_METRICS_PORT/metrics")
for port in "${RASA_PORTS[@]}"; do ready+=("http://127.0.0.1:$port/status"); done
for port in "${ACTIONS_PORTS[@]}"; do ready+=("http://127.0.0.1:$port/health"); done
$PY scripts/wait_ready.py "${ready[@]}" --pids "${pids[@]}" --timeout 240 \
  || { echo "Échec du démarrage, voir $STATE/log/ / start-up failed, see $STATE/log/" >&2; exit 1; }
# Tests and scripts wait for this file: everything answers.
echo "$HTTP_PORT" >"$STATE/run/ready"

cat <<BANNER

  ============================================================================
   Profil de production prêt / production profile ready
   Web        http://127.0.0.1:$HTTP_PORT/   (widget; /socket.io/ and /webhooks/ only)
   REST       http://127.0.0.1:$RASA_API_PORT/webhooks/rest/webhook   (inside only)
   Console    http://127.0.0.1:$CONSOLE_PORT/   $DEMO_AGENT  $DEMO_PASSWORD
   Rasa       ${RASA_PORTS[*]} (API for the console: 127.0.0.1:$RASA_API_PORT)
   Actions    ${ACTIONS_PORTS[*]} (behind 127.0.0.1:$ACTIONS_LB_PORT)
   PostgreSQL postgresql://postgres@127.0.0.1:$PG_PORT/{bot,rasa}
   Redis      redis://127.0.0.1:$REDIS_PORT/0
   Metrics    http://127.0.0.1:${ACTIONS_PORTS[0]}/metrics  http://127.0.0.1:$DISPATCH_METRICS_PORT/metrics
   Logs       $STATE/log/      Ctrl-C pour arrêter / to stop
  ============================================================================

BANNER
# Like an orchestrator would, keep serving when one replica stops (the scale-out
# tests kill one); say which one, and stop when none is left.
while [ ${#pids[@]} -gt 0 ]; do
  wait -n "${pids[@]}" 2>/dev/null || true
  alive=()
  for pid in "${pids[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      alive+=("$pid")
    else
      name=$(grep -lx "$pid" "$STATE"/run/*.pid | xargs -r -n1 basename | sed 's/\.pid$//')
      echo "Arrêté / stopped: ${name:-$pid} (voir / see $STATE/log/${name:-}.log)" >&2
    fi
  done
  pids=("${alive[@]}")
done
exit 1
