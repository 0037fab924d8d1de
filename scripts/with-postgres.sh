#!/usr/bin/env bash
# Start a throw-away PostgreSQL on loopback, run the given command with
# QA_AUDIT_TEST_POSTGRES_URL set, then stop the server and remove its data.
# Reuses QA_AUDIT_TEST_POSTGRES_URL if it is already set (a server you run yourself).
set -euo pipefail
if [ -n "${QA_AUDIT_TEST_POSTGRES_URL:-}" ]; then
  exec "$@"
fi
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
# QA_AUDIT_PG_KEEP=DIR (the benchmark): keep the cluster in DIR between runs, so that its large
# databases are built once; made there the first time, stopped but not removed afterwards.
KEEP=${QA_AUDIT_PG_KEEP:-}
if [ -n "$KEEP" ]; then
  mkdir -p "$KEEP"
  DATA=$(cd "$KEEP" && pwd)
  if [ -f "$DATA/db/PG_VERSION" ] && [ "$(cat "$DATA/db/PG_VERSION")" != "$("$PGBIN/postgres" --version | awk '{print $3}' | cut -d. -f1)" ]; then
    rm -rf "${DATA:?}/db"
  fi
else
  DATA=$(mktemp -d -t qa-audit-pg.XXXXXX)
fi
PORT=${QA_AUDIT_TEST_PG_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
AS=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres:postgres "$DATA"
  AS=(runuser -u postgres --)
fi
stop() {
  if [ -n "$KEEP" ]; then
    (cd / && "${AS[@]}" "$PGBIN/pg_ctl" -D "$DATA/db" -m fast stop >/dev/null 2>&1) || true
  else
    (cd / && "${AS[@]}" "$PGBIN/pg_ctl" -D "$DATA/db" -m immediate stop >/dev/null 2>&1) || true
    rm -rf "$DATA"
  fi
}
trap stop EXIT
if [ ! -f "$DATA/db/PG_VERSION" ]; then
  (cd / && "${AS[@]}" "$PGBIN/initdb" -D "$DATA/db" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null)
fi
(cd / && "${AS[@]}" "$PGBIN/pg_ctl" -D "$DATA/db" -l "$DATA/server.log" -w -o \
  "-p $PORT -k $DATA -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null)
echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT"
export QA_AUDIT_TEST_POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:$PORT/postgres"
"$@"
