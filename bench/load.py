"""Pages under load: gunicorn with two sync workers on loopback, and a bounded load generator.

The generator signs in first, as a QA lead, through the real sign-in form (CSRF token and
session cookie), then for each endpoint in turn sends a fixed number of GET requests from a
fixed number of concurrent clients (threads, http.client, a new connection per request as
gunicorn's sync workers close each one) and stops by itself. Each endpoint is measured in its
own phase so that its p95 is its own: a page's p95 over /healthz's p95 is the page's cost over
the bare cost of a request through gunicorn and Flask under the same concurrency.

One phase is the yardstick of the others: the signed-in baseline, the accessibility statement
fetched as the signed-in QA lead. It is the cheapest page that draws the whole GOV.UK layout
(header with the signed-in person, service navigation for their roles, footer) and reads nothing
from the database but the person: what any signed-in page costs before it shows anything of its
own. Each page's target is its p95 over the baseline's; /healthz is information."""

from __future__ import annotations

import http.client
import itertools
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench import data

HOST = "127.0.0.1"
COOKIE = "qa_audit_session"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def cookie(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == "set-cookie" and value.startswith(name + "="):
                return value.split(";", 1)[0].split("=", 1)[1]
        return None


def fetch(
    port: int,
    path: str,
    *,
    cookie: str | None = None,
    form: dict[str, str] | None = None,
    timeout: float = 120,
    headers: dict[str, str] | None = None,
) -> Response:
    """One request on a new connection."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        headers = {"User-Agent": "qa-audit-bench", **(headers or {})}
        if cookie:
            headers["Cookie"] = f"{COOKIE}={cookie}"
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request("POST" if form is not None else "GET", path, body=body, headers=headers)
        response = conn.getresponse()
        return Response(response.status, response.getheaders(), response.read())
    finally:
        conn.close()


def log_path(url: str, name: str = "") -> Path:
    """Where gunicorn's log of the last load run on this kind of database is kept."""
    backend = make_url(url).get_backend_name()
    return data.ROOT / "bench" / "data" / f"gunicorn-{backend}{name}.log"


@dataclass(frozen=True)
class Server:
    """A running gunicorn: its port and its master's process id."""

    port: int
    pid: int

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        return [int(pid) for pid in children.read_text(encoding="ascii").split()]

    def worker_rss_mb(self) -> list[float]:
        """Each worker's resident memory now (VmRSS), in MB."""
        sizes = []
        for pid in self.worker_pids():
            status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
            kb = next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS"))
            sizes.append(int(kb) / 1024)
        return sizes


@contextmanager
def gunicorn(url: str, workers: int = 2) -> Iterator[int]:
    """gunicorn serving the application on ``url``, configured as in production; the port."""
    with server(url, workers) as running:
        yield running.port


@contextmanager
def server(
    url: str, workers: int = 2, secret: str | None = None, name: str = ""
) -> Iterator[Server]:
    """gunicorn serving the application on ``url``, configured as in production. Instances
    given the same ``secret`` accept each other's session cookies. Its log (errors with their
    tracebacks) is kept in log_path(url, name)."""
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="qa-bench-gunicorn-") as folder:
        env = {
            **os.environ,
            "QA_AUDIT_DATABASE_URL": url,
            "QA_AUDIT_ENV": "production",
            "QA_AUDIT_SECRET_KEY": secret or secrets.token_hex(32),
            # Loopback has no TLS: let the session cookie travel over plain HTTP.
            "QA_AUDIT_SECURE_COOKIES": "0",
            "QA_AUDIT_INSTANCE_PATH": folder,
            "QA_AUDIT_BASE_URL": f"http://127.0.0.1:{port}",
        }
        log_path(url, name).parent.mkdir(parents=True, exist_ok=True)
        log = open(log_path(url, name), "w+", encoding="utf-8")  # noqa: SIM115
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                "python:qa_audit.gunicorn_conf",
                "--workers",
                str(workers),
                "--bind",
                f"{HOST}:{port}",
                "--timeout",
                "300",
                "--log-level",
                "warning",
                "qa_audit:create_app()",
            ],
            cwd=data.ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 120
            while True:
                if process.poll() is not None:
                    log.seek(0)
                    raise RuntimeError(f"gunicorn stopped:\n{log.read()[-3000:]}")
                try:
                    if fetch(port, "/healthz", timeout=5).status == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not answer /healthz within 120 s")
                time.sleep(0.2)
            yield Server(port, process.pid)
        finally:
            process.terminate()
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()


def sign_in(port: int, email: str, password: str) -> str:
    """Sign in through the form; the session cookie."""
    page = fetch(port, "/sign-in")
    match = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page.body)
    if page.status != 200 or match is None:
        raise RuntimeError(f"no sign-in form (status {page.status})")
    cookie = page.cookie(COOKIE)
    answer = fetch(
        port,
        "/sign-in",
        cookie=cookie,
        form={"email": email, "password": password, "csrf_token": match.group(1).decode()},
    )
    session = answer.cookie(COOKIE)
    if answer.status != 302 or not session:
        raise RuntimeError(f"sign-in failed (status {answer.status})")
    return session


@dataclass
class Phase:
    name: str
    path: str
    requests: int
    clients: int
    # The signed-in baseline: the yardstick the pages' p95 are compared with.
    baseline: bool = False
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies)

    @property
    def p95(self) -> float:
        return statistics.quantiles(self.latencies, n=20, method="inclusive")[-1]

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "requests": self.requests,
            "clients": self.clients,
            "p50_ms": round(self.p50 * 1000, 2),
            "p95_ms": round(self.p95 * 1000, 2),
            "max_ms": round(max(self.latencies) * 1000, 2),
            "throughput_per_s": round(self.throughput, 1),
            "errors": len(self.errors),
            "error_examples": self.errors[:5],
            "baseline": self.baseline,
        }


def hammer(port: int, phase: Phase, cookie: str, marker: bytes | tuple[bytes, ...]) -> Phase:
    """``phase.requests`` GETs of ``phase.path`` from ``phase.clients`` threads; an answer is
    an error unless it is 200 and holds ``marker`` (each of them, if several)."""
    markers = (marker,) if isinstance(marker, bytes) else marker
    tickets = itertools.count()
    lock = threading.Lock()

    def client() -> None:
        while next(tickets) < phase.requests:
            started = time.perf_counter()
            try:
                response = fetch(port, phase.path, cookie=cookie)
                problem = (
                    None
                    if response.status == 200 and all(m in response.body for m in markers)
                    else f"status {response.status}"
                )
            except OSError as error:
                problem = f"{type(error).__name__}: {error}"
            elapsed = time.perf_counter() - started
            with lock:
                phase.latencies.append(elapsed)
                if problem:
                    phase.errors.append(problem)

    threads = [threading.Thread(target=client) for _ in range(phase.clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    phase.seconds = time.perf_counter() - started
    return phase


def pick_audit(url: str) -> int:
    """A full audit of the latest month: moderated, with feedback and actions."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            found = conn.execute(
                text(
                    "SELECT a.id FROM audit a JOIN moderation m ON m.audit_id = a.id "
                    "AND m.status = 'completed' WHERE a.submitted_month = :month "
                    "AND EXISTS (SELECT 1 FROM feedback_conversation f WHERE f.audit_id = a.id) "
                    "AND EXISTS (SELECT 1 FROM action x WHERE x.audit_id = a.id) "
                    "ORDER BY a.id LIMIT 1"
                ),
                {"month": data.END_MONTH},
            ).scalar()
    finally:
        engine.dispose()
    if found is None:
        raise RuntimeError("no moderated audit with feedback and actions in the latest month")
    return int(found)


# The signed-in baseline's page, and what its answer must hold: the person's header (the
# sign-out form is drawn only for someone signed in), their navigation, the end of the page.
BASELINE_NAME = "signed-in baseline (accessibility statement)"
BASELINE_PATH = "/accessibility"
BASELINE_MARKERS = (b'action="/sign-out"', b"govuk-service-navigation__link", b"</html>")


def endpoints(url: str) -> list[tuple[str, str, bytes | tuple[bytes, ...]]]:
    """(name, path, the byte string(s) the answer must hold) of each measured endpoint:
    /healthz first, the signed-in baseline (information only) second, then the pages."""
    first = data.add_months(data.END_MONTH, -2)
    return [
        ("/healthz", "/healthz", b"ok"),
        (BASELINE_NAME, BASELINE_PATH, BASELINE_MARKERS),
        ("audit list", "/audit-list", b"</html>"),
        ("audit page", f"/audits/{pick_audit(url)}", b"</html>"),
        ("report page (3 months)", f"/reports?from={first}&to={data.END_MONTH}", b"</html>"),
    ]


def run(url: str, requests: int = 400, clients: int = 16, workers: int = 2) -> list[Phase]:
    """Every endpoint under load, one phase each, against the database at ``url``."""
    targets = endpoints(url)
    phases = []
    with gunicorn(url, workers) as port:
        cookie = sign_in(port, data.QA_LEAD_EMAIL, data.PASSWORD)
        for name, path, marker in targets:
            for _ in range(2 * workers):  # warm each worker: templates compiled, caches filled
                warm = fetch(port, path, cookie=cookie)
                if warm.status != 200:
                    raise RuntimeError(f"{path} answered {warm.status} before the load")
            phase = Phase(name, path, requests, clients, baseline=path == BASELINE_PATH)
            phases.append(hammer(port, phase, cookie, marker))
    return phases
