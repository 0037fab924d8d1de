"""The soak tests' equipment: a prepared database, a real gunicorn server on loopback, and
browser-like clients that sign in and post the real forms with their CSRF tokens."""

from __future__ import annotations

import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from qa_audit.core.clock import local_today
from qa_audit.core.config import ROOT

BIN = Path(sys.executable).parent
PASSWORD = "correct horse battery staple"
REQUEST_TIMEOUT = 60  # seconds; a request slower than this counts as an error


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_env(url: str, instance: Path) -> dict[str, str]:
    """The environment of a production-like process on ``url`` (CSRF on, no TLS)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("QA_AUDIT_")}
    env.update(
        QA_AUDIT_DATABASE_URL=url,
        QA_AUDIT_ENV="production",
        QA_AUDIT_SECRET_KEY="soak-test-secret-key-not-for-use-anywhere-else",
        QA_AUDIT_SECURE_COOKIES="0",  # plain http on loopback
        QA_AUDIT_INSTANCE_PATH=str(instance),
        # Links in e-mail are built from it; the Host the soak clients send is 127.0.0.1.
        QA_AUDIT_BASE_URL="http://127.0.0.1",
        MPLCONFIGDIR=str(instance / "matplotlib"),
        PYTHONUNBUFFERED="1",
    )
    return env


def cli(url: str, instance: Path, *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    """Run ``qa-audit ARGS`` as a separate process on ``url``."""
    return subprocess.run(
        [str(BIN / "qa-audit"), *args],
        env=server_env(url, instance),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


class Server:
    """gunicorn serving the app on a loopback port: ``workers`` processes of ``threads``."""

    def __init__(self, url: str, instance: Path, workers: int = 2, threads: int = 4) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = instance / f"gunicorn-{self.port}.log"
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "qa_audit:create_app()",
                "-c",
                "python:qa_audit.gunicorn_conf",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--timeout",
                "120",
                "--graceful-timeout",
                "5",
            ],
            env=server_env(url, instance),
            cwd=ROOT,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: kill -9 takes every worker
        )
        try:
            self._wait_until_serving()
        except BaseException:
            self.kill()
            raise

    def _wait_until_serving(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log.read_text()[-3000:]}")
            try:
                if requests.get(f"{self.base}/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:  # not listening yet, or the workers still loading
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not start within 60 s")

    def kill(self) -> None:
        """kill -9 the master and every worker at once (no clean shutdown)."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    def errors_logged(self) -> list[str]:
        """Tracebacks and lock errors in the server's log."""
        lines = self.log.read_text(errors="replace").splitlines()
        return [
            line
            for line in lines
            if "Traceback" in line or "database is locked" in line or "Error handling" in line
        ]


@contextmanager
def serving(url: str, instance: Path, **kwargs: Any) -> Iterator[Server]:
    server = Server(url, instance, **kwargs)
    try:
        yield server
    finally:
        server.stop()


@dataclass
class Stats:
    """Every request the clients made: how long it took, and what went wrong."""

    durations: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, seconds: float, status: int | None, problem: str | None = None) -> None:
        with self.lock:
            self.durations.append(seconds)
            if status is not None:
                self.statuses[status] = self.statuses.get(status, 0) + 1
            if problem:
                self.errors.append(problem)

    @property
    def requests(self) -> int:
        return len(self.durations)

    @property
    def server_errors(self) -> int:
        return sum(n for code, n in self.statuses.items() if code >= 500)

    def percentile(self, p: int) -> float:
        if len(self.durations) < 2:
            return self.durations[0] if self.durations else 0.0
        return statistics.quantiles(self.durations, n=100, method="inclusive")[p - 1]

    def summary(self) -> str:
        return (
            f"{self.requests} requests, p50 {self.percentile(50) * 1000:.0f} ms, "
            f"p95 {self.percentile(95) * 1000:.0f} ms, {self.server_errors} 5xx, "
            f"{len(self.errors)} errors"
        )


class UnexpectedResponse(Exception):
    pass


TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Browser:
    """A person's browser: a cookie session, the CSRF token of each form, timings."""

    def __init__(self, base: str, stats: Stats) -> None:
        self.base = base
        self.stats = stats
        self.session = requests.Session()

    def request(self, method: str, path: str, expect: tuple[int, ...], **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            response = self.session.request(
                method,
                self.base + path,
                allow_redirects=False,
                timeout=REQUEST_TIMEOUT,
                **kwargs,
            )
        except requests.RequestException as error:
            self.stats.note(time.perf_counter() - started, None, f"{method} {path}: {error!r}")
            raise UnexpectedResponse(f"{method} {path}: {error!r}") from error
        problem = None
        if response.status_code not in expect:
            problem = f"{method} {path}: {response.status_code} {response.text[:300]!r}"
        self.stats.note(time.perf_counter() - started, response.status_code, problem)
        if problem:
            raise UnexpectedResponse(problem)
        return response

    def page(self, path: str) -> tuple[str, str]:
        """GET a page with a form: its HTML and its CSRF token."""
        html = self.request("GET", path, (200,)).text
        found = TOKEN.search(html)
        if found is None:
            raise UnexpectedResponse(f"no CSRF token on {path}")
        return html, found.group(1)

    def sign_in(self, email: str) -> None:
        _, token = self.page("/sign-in")
        response = self.request(
            "POST",
            "/sign-in",
            (302,),
            data={"email": email, "password": PASSWORD, "csrf_token": token},
        )
        if "/sign-in" in response.headers.get("Location", ""):
            raise UnexpectedResponse(f"sign-in of {email} failed")

    def start_audit(self, case_ref: str, area_id: int, team_id: int) -> int:
        """The start-audit form; the new draft's id."""
        _, token = self.page("/audits/new")
        day = local_today() - timedelta(days=1)
        response = self.request(
            "POST",
            "/audits/new",
            (302,),
            data=[
                ("csrf_token", token),
                ("case_ref", case_ref),
                ("service_area_id", str(area_id)),
                ("team_id", str(team_id)),
                ("audit_date", str(day.day)),
                ("audit_date", str(day.month)),
                ("audit_date", str(day.year)),
                ("audit_type", "deep_dive"),
            ],
        )
        found = re.search(r"/audits/(\d+)/edit", response.headers["Location"])
        if found is None:
            raise UnexpectedResponse(f"start went to {response.headers['Location']}")
        return int(found.group(1))

    def fill_and_submit(self, audit_id: int, grade: str = "good") -> None:
        """Down the audit's task list: every domain graded with evidence, the overall grade,
        then Check your answers and submit."""
        html, _ = self.page(f"/audits/{audit_id}/edit")
        keys = re.findall(rf'href="/audits/{audit_id}/sections/([a-z_]+)"', html)
        for key in keys:
            if key in ("feedback", "themes", "actions"):
                continue
            if key == "overall":
                fields = [
                    ("overall_grade", grade),
                    ("overall_rationale", "A clear difference for the child"),
                ]
            else:
                fields = [
                    (f"{key}-grade", grade),
                    (f"{key}-working_well", f"Working well in {key}"),
                    (f"{key}-needs_improvement", f"To improve in {key}"),
                    (f"{key}-impact", f"Impact on the child: {key}"),
                ]
            self._post_with_version(f"/audits/{audit_id}/sections/{key}", fields, "continue")
        response = self._post_with_version(f"/audits/{audit_id}/check", [], "submit")
        if not response.headers["Location"].endswith(f"/audits/{audit_id}"):
            raise UnexpectedResponse(f"submit of {audit_id} went to {response.headers['Location']}")

    def _post_with_version(self, url: str, fields: list[tuple[str, str]], op: str) -> Any:
        """POST ``fields`` to the page at ``url`` with the version and token it shows."""
        html, token = self.page(url)
        version = re.search(r'name="version"[^>]*value="(\d+)"', html)
        if version is None:
            raise UnexpectedResponse(f"no version on {url}")
        data = [("csrf_token", token), ("version", version.group(1)), ("op", op), *fields]
        return self.request("POST", url, (302,), data=data)


def engine_for(url: str) -> Engine:
    return create_engine(url)


def scalar(url: str, sql: str, **params: Any) -> Any:
    engine = engine_for(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql), params).scalar()
    finally:
        engine.dispose()


def rows(url: str, sql: str, **params: Any) -> list[Any]:
    engine = engine_for(url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text(sql), params))
    finally:
        engine.dispose()
