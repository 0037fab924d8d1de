#!/usr/bin/env bash
# The soak tests (tests/soak: a real gunicorn server under load, and kill -9 faults) on SQLite,
# then on PostgreSQL (QA_AUDIT_TEST_POSTGRES_URL from with-postgres.sh), with the end-to-end
# production test (tests/production: its own PostgreSQL, gunicorn and nginx with TLS, started
# from deploy/; once, beside the PostgreSQL run). Each test stops itself (deadlines on every
# client and request); the whole run takes a few minutes.
set -euo pipefail
: "${QA_AUDIT_TEST_POSTGRES_URL:?run through scripts/with-postgres.sh}"
export QA_AUDIT_SOAK=1
echo "=== soak tests on SQLite ==="
QA_AUDIT_TEST_DATABASE_URL=sqlite:// timeout 900 .venv/bin/pytest -q -p no:cacheprovider tests/soak "$@"
echo "=== soak tests on PostgreSQL, and the production test ==="
QA_AUDIT_TEST_DATABASE_URL="$QA_AUDIT_TEST_POSTGRES_URL" timeout 900 .venv/bin/pytest -q -p no:cacheprovider tests/soak tests/production "$@"
