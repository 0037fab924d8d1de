"""The end-to-end production test (make soak, which make test runs): PostgreSQL, gunicorn as a
service account and nginx with TLS, started from the files in deploy/. Run only with
QA_AUDIT_SOAK=1, as the soak tests; it starts its own PostgreSQL whatever the suite's database."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from contextlib import ExitStack

import pytest

from tests.production.postgres import postgres_bin
from tests.production.stack import NGINX, TIMINGS, Stack, build


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("QA_AUDIT_SOAK") == "1":
        return
    skip = pytest.mark.skip(reason="production test: run with `make soak` (QA_AUDIT_SOAK=1)")
    for item in items:
        if "tests/production/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for line in TIMINGS:
        terminalreporter.write_line(line)


def _missing() -> str | None:
    if not NGINX.exists():
        return f"nginx is not installed ({NGINX}; make test installs Debian's)"
    if postgres_bin() is None:
        return "PostgreSQL's programs are not installed (/usr/lib/postgresql/*/bin)"
    if shutil.which("openssl") is None:
        return "openssl is not installed"
    return None


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    missing = _missing()
    if missing:
        pytest.skip(missing)
    pgbin = postgres_bin()
    assert pgbin is not None
    started = time.monotonic()
    with ExitStack() as cleanup:
        built = build(cleanup, pgbin)
        ready = time.monotonic() - started
        yield built
    TIMINGS.append(
        f"production test: {time.monotonic() - started:.1f} s in all "
        f"(PostgreSQL, data, gunicorn and nginx started in {ready:.1f} s)"
    )
