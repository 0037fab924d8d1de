"""A working day: a bounded mixed load of auditors autosaving their drafts while others read.

40 auditors each sign in through the real form, open the Overall section of their own draft
audit (the page gives the CSRF token and the draft's version) and save it in the background as
the browser does (static/audit-autosave.js: the section's fields, the version from the last
reply, the CSRF token in the form and in X-CSRFToken), every few seconds, a fixed number of
times. At the same time 10 QA leads, each signed in through the form, open the report page,
the All audits list, an audit's page and the signed-in baseline page in turn, a fixed number of
times. The run ends when every request has been answered: a fixed amount of work, not a fixed
time, so a slower server takes longer rather than doing less.

The baseline is measured in the same mix, under the same load: its p95 is what any signed-in
page costs at that moment. After the run every draft is read from the database: a lost save is
a draft not holding the text of its last save answered 200."""

from __future__ import annotations

import contextlib
import json
import random
import re
import statistics
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, create_engine, text

from bench import data, load

AUDITORS = 40
READERS = 10
CASE_PREFIX = "DAY"
# Seconds between two saves of one auditor: the page saves two seconds after the last keystroke.
SAVE_PAUSE = (2.0, 4.0)
READ_PAUSE = (0.2, 0.6)


@dataclass(frozen=True)
class Draft:
    email: str
    audit_id: int


@dataclass
class Kind:
    """The answers to one kind of request: latencies and errors."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def p95(self) -> float:
        return statistics.quantiles(self.latencies, n=20, method="inclusive")[-1]

    def as_json(self) -> dict[str, Any]:
        return {
            "requests": len(self.latencies),
            "p50_ms": round(statistics.median(self.latencies) * 1000, 2),
            "p95_ms": round(self.p95 * 1000, 2),
            "max_ms": round(max(self.latencies) * 1000, 2),
            "errors": len(self.errors),
            "error_examples": self.errors[:5],
        }


@dataclass
class Day:
    kinds: dict[str, Kind]
    saved: dict[int, str]  # audit id -> the text of its last save answered 200
    lost: list[int] = field(default_factory=list)
    seconds: float = 0.0
    pace: float = 1.0  # the pauses between requests are multiplied by this (tests: shorter)
    # Every client signs in and opens its page first; the timed day starts when all have.
    ready: threading.Barrier = field(default_factory=lambda: threading.Barrier(1))

    @property
    def errors(self) -> int:
        return sum(len(k.errors) for k in self.kinds.values())


def prepare(url: str, auditors: int = AUDITORS) -> list[Draft]:
    """The benchmark's first ``auditors`` auditors, each given the benchmark's password and a
    draft audit of their own (kept between runs: found again by its case reference)."""
    from sqlalchemy import select

    from qa_audit.audits.models import Audit
    from qa_audit.audits.services import start_audit
    from qa_audit.auth.models import User
    from qa_audit.auth.passwords import hash_password
    from qa_audit.core.clock import local_today
    from qa_audit.core.extensions import db

    app = data.bench_app(url)
    password = hash_password(data.PASSWORD)
    drafts = []
    with app.test_request_context():
        people = db.session.scalars(
            select(User)
            .where(User.email.like("auditor.%@bench.example.org"))
            .order_by(User.email)
            .limit(auditors)
        ).all()
        for n, person in enumerate(people):
            person.password_hash = password
            case_ref = f"{CASE_PREFIX}{n:03d}"
            audit = db.session.scalars(
                select(Audit).where(
                    Audit.auditor_id == person.id,
                    Audit.case_ref == case_ref,
                    Audit.status == "draft",
                )
            ).first()
            if audit is None:
                audit = start_audit(
                    person,
                    case_ref,
                    person.service_area_id,
                    person.team_id,
                    local_today(),
                    "deep_dive",
                )
            drafts.append(Draft(person.email, audit.id))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return drafts


def _csrf_and_version(page: bytes) -> tuple[str, str]:
    csrf = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page)
    version = re.search(rb'name="version"[^>]*value="([^"]*)"', page)
    if csrf is None or version is None:
        raise RuntimeError("the section page has no CSRF token or version")
    return csrf.group(1).decode(), version.group(1).decode()


def _timed(kind: Kind, lock: threading.Lock, call: Any) -> load.Response | None:
    started = time.perf_counter()
    try:
        response = call()
        problem = (
            None if response.status == 200 else f"status {response.status}: {response.body[:160]!r}"
        )
    except OSError as error:
        response, problem = None, f"{type(error).__name__}: {error}"
    with lock:
        kind.latencies.append(time.perf_counter() - started)
        if problem:
            kind.errors.append(problem)
    return response if problem is None else None


def _auditor(port: int, draft: Draft, saves: int, day: Day, lock: threading.Lock) -> None:
    cookie = load.sign_in(port, draft.email, data.PASSWORD)
    section = f"/audits/{draft.audit_id}/sections/overall"
    page = load.fetch(port, section, cookie=cookie)
    if page.status != 200:
        raise RuntimeError(f"{section} answered {page.status}")
    csrf, version = _csrf_and_version(page.body)
    # The page may renew the session cookie (the CSRF token is kept in the session).
    cookie = page.cookie(load.COOKIE) or cookie
    day.ready.wait()
    headers = {
        "X-Requested-With": "XMLHttpRequest",
        "X-CSRFToken": csrf,
        "Accept": "application/json",
    }
    for n in range(saves):
        time.sleep(random.uniform(*SAVE_PAUSE) * day.pace)
        typed = f"Working day draft of {draft.email}, save {n + 1}: {uuid.uuid4().hex}"
        form = {
            "section": "overall",
            "overall_rationale": typed,
            "version": version,
            "csrf_token": csrf,
        }
        answer = _timed(
            day.kinds["autosave"],
            lock,
            lambda form=form: load.fetch(
                port,
                f"/audits/{draft.audit_id}/autosave",
                cookie=cookie,
                form=form,
                headers=headers,
            ),
        )
        if answer is not None:
            version = str(json.loads(answer.body)["version"])
            with lock:
                day.saved[draft.audit_id] = typed


def _reader(
    port: int, paths: list[tuple[str, str]], reads: int, day: Day, lock: threading.Lock
) -> None:
    cookie = load.sign_in(port, data.QA_LEAD_EMAIL, data.PASSWORD)
    day.ready.wait()
    for n in range(reads):
        time.sleep(random.uniform(*READ_PAUSE) * day.pace)
        name, path = paths[n % len(paths)]
        _timed(day.kinds[name], lock, lambda path=path: load.fetch(port, path, cookie=cookie))


def pages(url: str) -> list[tuple[str, str]]:
    """What the readers open, in turn."""
    first = data.add_months(data.END_MONTH, -2)
    return [
        ("report page", f"/reports?from={first}&to={data.END_MONTH}"),
        ("audit list", "/audit-list"),
        ("audit page", f"/audits/{load.pick_audit(url)}"),
        ("baseline", load.BASELINE_PATH),
    ]


def lost_saves(url: str, drafts: list[Draft], saved: dict[int, str]) -> list[int]:
    """The drafts not holding the text of their last save answered 200 (or never saved)."""
    engine = create_engine(url)
    statement = text("SELECT id, overall_rationale FROM audit WHERE id IN :ids").bindparams(
        bindparam("ids", expanding=True)
    )
    try:
        with engine.connect() as conn:
            rows = conn.execute(statement, {"ids": [d.audit_id for d in drafts]}).all()
            stored: dict[int, str] = {int(i): str(t) for i, t in rows}
    finally:
        engine.dispose()
    return [
        d.audit_id
        for d in drafts
        if saved.get(d.audit_id) is None or stored.get(d.audit_id) != saved[d.audit_id]
    ]


def run(
    url: str,
    saves: int = 8,
    reads: int = 32,
    auditors: int = AUDITORS,
    readers: int = READERS,
    pace: float = 1.0,
) -> Day:
    """The working day against ``url`` (gunicorn with two workers): ``auditors`` × ``saves``
    autosaves and ``readers`` × ``reads`` page views, timed from when every client has signed
    in (the sign-ins, a password hash each, are not part of the day's figures)."""
    drafts = prepare(url, auditors)
    paths = pages(url)
    day = Day({name: Kind() for name in ["autosave", *(name for name, _ in paths)]}, {}, pace=pace)
    lock = threading.Lock()
    failures: list[str] = []

    def guarded(target: Any, *args: Any) -> None:
        try:
            target(*args)
        except Exception as error:  # a client that could not start is an error of the run
            day.ready.abort()
            with lock:
                failures.append(f"{type(error).__name__}: {error}")

    with load.gunicorn(url) as port:
        warm = load.sign_in(port, data.QA_LEAD_EMAIL, data.PASSWORD)
        for _, path in paths:  # each worker: templates compiled, caches filled
            for _ in range(4):
                load.fetch(port, path, cookie=warm)
        threads = [
            threading.Thread(target=guarded, args=(_auditor, port, d, saves, day, lock))
            for d in drafts
        ] + [
            threading.Thread(target=guarded, args=(_reader, port, paths, reads, day, lock))
            for _ in range(readers)
        ]
        day.ready = threading.Barrier(len(threads) + 1)
        for thread in threads:
            thread.start()
        # Every client signed in through the form, its page open (a client that could not
        # start breaks the barrier: its error is counted).
        with contextlib.suppress(threading.BrokenBarrierError):
            day.ready.wait()
        started = time.perf_counter()
        for thread in threads:
            thread.join()
        day.seconds = time.perf_counter() - started
    if failures:
        day.kinds.setdefault("sign-in", Kind()).errors.extend(failures)
    day.lost = lost_saves(url, drafts, day.saved)
    return day
