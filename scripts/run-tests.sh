#!/usr/bin/env bash
# The whole suite on SQLite and on PostgreSQL (QA_AUDIT_TEST_POSTGRES_URL from with-postgres.sh).
# The two runs go side by side (much of a run waits on Chromium and the database), each
# with its own databases; their output is printed one after the other.
set -uo pipefail
: "${QA_AUDIT_TEST_POSTGRES_URL:?run through scripts/with-postgres.sh}"
LOGS=$(mktemp -d -t qa-audit-tests.XXXXXX)
run() {
  local label=$1 url=$2
  shift 2
  QA_AUDIT_TEST_DATABASE_URL="$url" .venv/bin/pytest -q -p no:cacheprovider "$@" >"$LOGS/$label.log" 2>&1
}
run sqlite "sqlite://" "$@" &
sqlite_pid=$!
run postgresql "$QA_AUDIT_TEST_POSTGRES_URL" "$@" &
postgres_pid=$!
wait "$sqlite_pid"; sqlite_status=$?
wait "$postgres_pid"; postgres_status=$?
for label in sqlite postgresql; do
  echo "=== test suite on $label ==="
  cat "$LOGS/$label.log"
done
rm -rf "$LOGS"
echo "SQLite: exit $sqlite_status; PostgreSQL: exit $postgres_status"
[ "$sqlite_status" -eq 0 ] && [ "$postgres_status" -eq 0 ] || exit 1
# The whole suite (no arguments) goes on to the soak tests: a real server, load and kill -9.
if [ "$#" -eq 0 ]; then
  scripts/run-soak.sh
fi
