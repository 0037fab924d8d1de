"""Scale-out: two app servers (two gunicorn instances on different ports, two workers each)
against one PostgreSQL database, with the same secret key, clients alternating between them.

Checks that they behave as one service: a session signed in on either is valid on the other
(sessions are kept in the database), and the same report asked of both at the same moment gives
the same figures (the report's JSON download, compared whole). Measures the throughput of a mix
of pages (report page, All audits list, an audit's page) at 16 clients against one instance and
then against both, and each worker's resident memory after the load."""

from __future__ import annotations

import itertools
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from bench import data, load

MIX_NAMES = ("report page", "audit list", "audit page")


@dataclass
class ScaleOut:
    sessions_shared: bool = False
    same_figures: bool = False
    throughput: dict[int, float] = field(default_factory=dict)  # instances -> requests/s
    p95_ms: dict[int, float] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    worker_rss_mb: list[float] = field(default_factory=list)


def _mix(url: str) -> list[str]:
    first = data.add_months(data.END_MONTH, -2)
    return [
        f"/reports?from={first}&to={data.END_MONTH}",
        "/audit-list",
        f"/audits/{load.pick_audit(url)}",
    ]


def _load(ports: list[int], paths: list[str], cookie: str, requests: int, clients: int) -> Any:
    """``requests`` GETs of the mix from ``clients`` threads, request n to ports[n % len]."""
    phase = load.Phase(f"{len(ports)} instance(s)", "mix", requests, clients)
    tickets = itertools.count()
    lock = threading.Lock()

    def client() -> None:
        while (n := next(tickets)) < requests:
            started = time.perf_counter()
            try:
                answer = load.fetch(ports[n % len(ports)], paths[n % len(paths)], cookie=cookie)
                problem = None if answer.status == 200 else f"status {answer.status}"
            except OSError as error:
                problem = f"{type(error).__name__}: {error}"
            with lock:
                phase.latencies.append(time.perf_counter() - started)
                if problem:
                    phase.errors.append(problem)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    phase.seconds = time.perf_counter() - started
    return phase


def _signed_in_elsewhere(signed_on: int, used_on: int) -> bool:
    cookie = load.sign_in(signed_on, data.QA_LEAD_EMAIL, data.PASSWORD)
    page = load.fetch(used_on, load.BASELINE_PATH, cookie=cookie)
    return page.status == 200 and all(m in page.body for m in load.BASELINE_MARKERS)


def _both_at_once(ports: list[int], path: str, cookie: str) -> list[bytes]:
    answers: list[bytes] = [b""] * len(ports)

    def ask(i: int) -> None:
        answer = load.fetch(ports[i], path, cookie=cookie)
        answers[i] = answer.body if answer.status == 200 else f"status {answer.status}".encode()

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(len(ports))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def run(url: str, requests: int = 300, clients: int = 16) -> ScaleOut:
    out = ScaleOut()
    paths = _mix(url)
    secret = secrets.token_hex(32)
    with (
        load.server(url, 2, secret, "-a") as first,
        load.server(url, 2, secret, "-b") as second,
    ):
        ports = [first.port, second.port]
        out.sessions_shared = _signed_in_elsewhere(ports[0], ports[1]) and _signed_in_elsewhere(
            ports[1], ports[0]
        )
        cookie = load.sign_in(ports[0], data.QA_LEAD_EMAIL, data.PASSWORD)
        for port, path in itertools.product(ports, paths):  # warm every worker
            for _ in range(4):
                load.fetch(port, path, cookie=cookie)
        report = paths[0].replace("/reports?", "/reports/download.json?")
        a, b = _both_at_once(ports, report, cookie)
        out.same_figures = a == b and a.startswith(b"{")
        for instances in (1, 2):
            phase = _load(ports[:instances], paths, cookie, requests, clients)
            out.throughput[instances] = round(phase.throughput, 1)
            out.p95_ms[instances] = round(phase.p95 * 1000, 1)
            out.errors.extend(phase.errors)
        out.worker_rss_mb = [round(mb, 1) for mb in first.worker_rss_mb() + second.worker_rss_mb()]
    return out
