#!/usr/bin/env bash
# Run a command with BOT_TEST_POSTGRES_URL pointing at a throwaway PostgreSQL cluster
# on loopback, when PostgreSQL's server binaries are installed (Debian: postgresql).
# Without them (or with BOT_TEST_POSTGRES_URL already set) the command runs as is.
set -euo pipefail
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -n "${BOT_TEST_POSTGRES_URL:-}" ] || [ -z "$bindir" ]; then
  exec "$@"
fi

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
datadir=$(mktemp -d /tmp/bot-pg.XXXXXX)
[ "$(id -u)" = 0 ] && chown postgres "$datadir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_postgres "$bindir/initdb" -D "$datadir/data" -U postgres --auth=trust -E UTF8 >/dev/null
as_postgres "$bindir/pg_ctl" -D "$datadir/data" -l "$datadir/log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $datadir" start >/dev/null
cleanup() {
  as_postgres "$bindir/pg_ctl" -D "$datadir/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$datadir"
}
trap cleanup EXIT
as_postgres "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres bot_scratch
export BOT_TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:$port/bot_scratch"
echo "PostgreSQL scratch database: $BOT_TEST_POSTGRES_URL"
"$@"
