#!/usr/bin/env bash
# The whole suite on SQLite, then on PostgreSQL (QA_AUDIT_TEST_POSTGRES_URL from with-postgres.sh).
set -euo pipefail
: "${QA_AUDIT_TEST_POSTGRES_URL:?run through scripts/with-postgres.sh}"
echo "=== test suite on SQLite ==="
QA_AUDIT_TEST_DATABASE_URL=sqlite:// .venv/bin/pytest -q "$@"
echo "=== test suite on PostgreSQL ==="
QA_AUDIT_TEST_DATABASE_URL="$QA_AUDIT_TEST_POSTGRES_URL" .venv/bin/pytest -q "$@"
