"""The service as a council runs it (docs/deployment.md, deploy/): PostgreSQL, gunicorn as a
service account with the unit's options, nginx with TLS on ports other than 80 and 443.
The tests run in this order against one set-up (tests/production/stack.py)."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.production.services import service_account, wait_for
from tests.production.stack import IMPORTED_AUDITS, QA_LEAD, REPORT_PERIOD, TIMINGS, Stack
from tests.soak.harness import PASSWORD, Browser, Stats

# The council's name as deploy/qa-audit.env.example writes it (spaces and '&', unquoted).
COUNCIL_NAME = "Anytown &amp; District Borough Council"
SERVICE_PROBLEM = "Sorry, there is a problem with the service"
DATABASE_WAIT = 10  # seconds /readyz may take to notice PostgreSQL stopping or returning


class TlsBrowser(Browser):
    """A browser over TLS. It trusts the test's certificate and, as browsers do, sends the page
    a form came from as its Referer: over HTTPS the anti-forgery check compares that with the
    Host the application sees, which is where a proxy dropping the port breaks every form."""

    def __init__(self, stack: Stack) -> None:
        super().__init__(stack.base, Stats())
        self.session = stack.client()
        self.referer = f"{stack.base}/"

    def page(self, path: str) -> tuple[str, str]:
        found = super().page(path)
        self.referer = self.base + path
        return found

    def request(self, method: str, path: str, expect: tuple[int, ...], **kwargs: Any) -> Any:
        kwargs.setdefault("headers", {"Referer": self.referer})
        return super().request(method, path, expect, **kwargs)


def signed_in(stack: Stack) -> TlsBrowser:
    browser = TlsBrowser(stack)
    browser.sign_in(QA_LEAD)
    return browser


def test_plain_http_is_redirected_to_https(stack: Stack) -> None:
    response = stack.client().get(
        f"{stack.http_base}/reports?from=2024-01", allow_redirects=False, timeout=10
    )
    assert response.status_code in (301, 308)
    assert response.headers["Location"] == f"{stack.base}/reports?from=2024-01"


def _session_cookie(response: requests.Response) -> str:
    cookies = response.raw.headers.getlist("Set-Cookie")
    (found,) = [c for c in cookies if c.startswith("qa_audit_session=")]
    return found


def test_sign_in_over_tls_sets_a_secure_http_only_cookie(stack: Stack) -> None:
    browser = TlsBrowser(stack)
    html, token = browser.page("/sign-in")
    assert COUNCIL_NAME in html  # read by the application from the settings file
    response = browser.request(
        "POST",
        "/sign-in",
        (302,),
        data={"email": QA_LEAD, "password": PASSWORD, "csrf_token": token},
    )
    assert "/sign-in" not in response.headers["Location"]
    attributes = {a.strip().split("=")[0].lower() for a in _session_cookie(response).split(";")}
    assert {"secure", "httponly"} <= attributes
    assert "samesite=lax" in _session_cookie(response).lower().replace(" ", "")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "Server" not in response.headers or "gunicorn" not in response.headers["Server"]


def test_a_form_posted_through_the_proxy_on_another_port_is_saved(stack: Stack) -> None:
    """The sign-in form and one further form pass the anti-forgery check behind nginx on a
    port other than 443 (with `Host $host` the port was dropped and both were refused)."""
    browser = signed_in(stack)
    _, token = browser.page("/learning-themes")
    response = browser.request(
        "POST",
        "/learning-themes",
        (302,),
        data={"name": "Seen through the proxy", "csrf_token": token},
    )
    assert response.headers["Location"].endswith("/learning-themes")
    html, _ = browser.page("/learning-themes")
    assert "Seen through the proxy" in html


def _status(stack: Stack, path: str) -> int:
    try:
        return stack.client().get(stack.base + path, timeout=10).status_code
    except requests.RequestException:
        return 0


def test_the_service_runs_as_its_own_account(stack: Stack) -> None:
    assert stack.app is not None
    account = service_account()
    if account is None:
        pytest.skip("the test is not root, so it cannot switch to a service account")
    master = stack.app.process.pid
    workers = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    assert len(workers) == stack.workers
    for pid in [master, *map(int, workers)]:
        assert Path(f"/proc/{pid}").stat().st_uid == account[0]
    assert _mode(stack.instance) == 0o700
    assert stack.instance.stat().st_uid == account[0]


def test_readiness_follows_the_database_without_restarting_gunicorn(stack: Stack) -> None:
    assert stack.app is not None
    browser = signed_in(stack)
    assert _status(stack, "/healthz") == 200
    assert _status(stack, "/readyz") == 200
    logged_before = len(stack.app.output())
    stack.cluster.stop("fast")
    try:
        went_down = wait_for(
            lambda: _status(stack, "/readyz") == 503, DATABASE_WAIT, "/readyz saying 503"
        )
        assert _status(stack, "/healthz") == 200  # the process lives: no restart wanted
        page = browser.session.get(stack.base + "/", timeout=20)
        assert page.status_code == 503
        assert SERVICE_PROBLEM in page.text
        assert 'rel="stylesheet"' in page.text  # the styled page, not a bare error
    finally:
        stack.cluster.start()
    outage = stack.app.output()[logged_before:]
    assert "Traceback" not in outage
    # One line for the failure in each worker, however many requests met it.
    assert sum(" ERROR " in line for line in outage.splitlines()) <= stack.workers
    came_back = wait_for(
        lambda: _status(stack, "/readyz") == 200, DATABASE_WAIT, "/readyz saying 200 again"
    )
    assert stack.app.process.poll() is None  # the same gunicorn throughout
    assert browser.request("GET", "/", (200,)).status_code == 200  # still signed in
    TIMINGS.append(
        f"production test: /readyz said 503 {went_down:.1f} s after PostgreSQL stopped "
        f"and 200 {came_back:.1f} s after it started again"
    )


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_backup_restores_into_a_second_database_with_identical_reports(stack: Stack) -> None:
    backup = stack.backups / "qa-audit-before.zip"
    stack.must("backup", str(backup))
    stack.must("db", "upgrade", database_url=stack.restored_url)
    stack.must("restore", str(backup), database_url=stack.restored_url)
    report = stack.backups / "report.json"
    stack.must("report", *REPORT_PERIOD, "--out", str(report))
    live = json.loads(report.read_text())
    restored = json.loads(stack.must("report", *REPORT_PERIOD, database_url=stack.restored_url))
    assert live["audits_completed"] == IMPORTED_AUDITS
    assert restored == live
    # They hold case references and what families said: their owner's alone, whatever the umask.
    assert _mode(backup) == 0o600
    assert _mode(report) == 0o600
