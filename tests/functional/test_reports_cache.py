"""The report page and its chart images are reused while no record changes, and never shown
stale: a moderation or a new audit shows at once; a viewer never gets a QA lead's report."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event

from qa_audit.audits.services import submit
from qa_audit.auth.roles import Role
from qa_audit.core.extensions import db
from qa_audit.report_filters import ReportAccess, resolve_filters
from qa_audit.reports import cache, charts, services
from tests import factories
from tests.factories import moderation as mf
from tests.factories import reports as make
from tests.factories.audits import completed, started
from tests.functional.moderation_pages import agree_form

PERIOD = {"from": "2024-02", "to": "2024-04"}
QUOTE = "Quote for the cache page"


@pytest.fixture
def period_audits(db):  # type: ignore[no-untyped-def]
    """Locality: 3 audits (1 Good, 2 RI; one Good moderated down to RI); fostering: 1 Good.
    Final grades 2 Good and 2 RI of 4; 1 of 4 moderated."""
    auditor = factories.user(Role.AUDITOR)
    good = factories.audit(
        auditor=auditor, reference="C-GOOD", overall="good", submitted_on=date(2024, 2, 10)
    )
    factories.audit(auditor=auditor, overall="requires_improvement", submitted_on=date(2024, 3, 10))
    moderated = factories.audit(auditor=auditor, overall="good", submitted_on=date(2024, 4, 10))
    make.moderation(moderated, "requires_improvement")
    factories.audit(
        auditor=auditor, overall="good", area_key="fostering", submitted_on=date(2024, 4, 11)
    )
    make.feedback(good, "child", "positive", QUOTE, consent=True)
    db.session.commit()
    return good


@contextmanager
def statements(app: Flask) -> Iterator[list[str]]:
    """The SQL statements sent while inside."""
    seen: list[str] = []

    def note(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def chart_sources(html: str) -> list[str]:
    return re.findall(r'src="(/reports/charts/[^"]+)"', html)


def page(client, **args):  # type: ignore[no-untyped-def]
    response = client.get("/reports", query_string={**PERIOD, **args})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_second_view_is_served_from_the_cache(app, client, login_as, period_audits) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    with statements(app) as first:
        first_html = page(client)
    hits = cache.counts().hits
    with statements(app) as second:
        second_html = page(client)
    assert cache.counts().hits == hits + 2  # the report and the filter choices
    assert "2 of 4 (50.0%)" in second_html
    assert "1 of 4 (25.0%) audits were moderated" in second_html
    assert second_html.split("<main")[1] == first_html.split("<main")[1]
    # The first view builds the report (a dozen and more queries); the second reads the
    # data version and what signing in always needs, and writes the view's access-log row.
    assert len(first) >= 15
    logging = [s for s in second if "access_log" in s or "log_chain" in s]
    assert any(s.startswith("INSERT INTO access_log") for s in logging), second
    assert len(second) - len(logging) <= 6, second
    assert any("data_version" in s for s in second)


def test_a_moderation_shows_at_once(app, client, login_as, period_audits) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.MODERATOR)
    assert "1 of 4 (25.0%) audits were moderated" in page(client)
    assert "1 of 4 (25.0%) audits were moderated" in page(client)  # from the cache
    waiting = mf.selected(period_audits)  # the February Good audit, sampled
    db.session.commit()
    response = client.post(
        f"/moderation/{waiting.id}",
        data=agree_form(1, overall_decision="regrade", overall_grade="outstanding"),
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    html = page(client)
    # 2 of 4 moderated; final grades now 1 Outstanding, 1 Good, 2 RI: Good or better 2 of 4.
    assert "2 of 4 (50.0%) audits were moderated" in html
    assert "1 of 2 (50.0%) upgraded" in html


def test_a_new_audit_shows_at_once(client, login_as, period_audits) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    assert "2 of 4 (50.0%)" in page(client)
    before = page(client)  # from the cache
    assert "2 of 4 (50.0%)" in before
    factories.audit(overall="outstanding", submitted_on=date(2024, 3, 20))
    db.session.commit()
    html = page(client)
    assert "3 of 5 (60.0%)" in html  # Good or better: 1 Outstanding + 2 Good of 5
    # The charts' addresses change with the data, so a browser cannot show a kept image.
    assert chart_sources(html) != chart_sources(before)
    assert len(chart_sources(html)) == 7
    assert all("v=" in src for src in chart_sources(html))


@pytest.mark.parametrize("first", [Role.QA_LEAD, Role.VIEWER])
def test_a_viewer_never_gets_a_qa_leads_report(app, db, monkeypatch, period_audits, first) -> None:  # type: ignore[no-untyped-def]
    # These few audits are enough for a viewer here; suppression has its own tests
    # (test_report_suppression.py).
    monkeypatch.setitem(app.config, "REPORT_SUPPRESS_BELOW", 1)
    lead, viewer = factories.user(Role.QA_LEAD), factories.user(Role.VIEWER)
    db.session.commit()
    clients = {}
    for role, user in ((Role.QA_LEAD, lead), (Role.VIEWER, viewer)):
        clients[role] = app.test_client()
        signed_in = clients[role].post(
            "/sign-in", data={"email": user.email, "password": factories.PASSWORD}
        )
        assert signed_in.status_code == 302
    order = [first, Role.VIEWER if first is Role.QA_LEAD else Role.QA_LEAD]
    for _ in range(2):  # the second round comes from the cache
        pages = {role: page(clients[role]) for role in order}
        assert QUOTE in pages[Role.QA_LEAD]
        assert QUOTE not in pages[Role.VIEWER]
        assert "Quotes are not shown to viewers" in pages[Role.VIEWER]
        assert "2 of 4 (50.0%)" in pages[Role.VIEWER]
    json_body = clients[Role.VIEWER].get("/reports/download.json", query_string=PERIOD).data
    assert json.loads(json_body)["feedback"]["quotes"] == []
    assert cache.counts().hits >= 4


def test_charts_come_from_the_cache_and_are_redrawn_after_a_change(
    app, client, login_as, period_audits
) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    url = "/reports/charts/domain-assessment.svg"
    first = client.get(url, query_string=PERIOD)
    assert first.status_code == 200
    assert first.mimetype == "image/svg+xml"
    with app.app_context():
        filters = resolve_filters(PERIOD["from"], PERIOD["to"])
        domain = services.build_period_report(filters)["domains"]["assessment"]
        assert first.data == charts.domain_pie(domain["title"], domain, "svg")
    hits = cache.counts().hits
    with statements(app) as sent:
        again = client.get(url, query_string=PERIOD)
    assert again.data == first.data
    assert cache.counts().hits == hits + 1
    assert not any("audit_domain_grade" in s for s in sent)
    trend = client.get("/reports/charts/overall-trend.svg", query_string=PERIOD)
    assert client.get("/reports/charts/overall-trend.svg", query_string=PERIOD).data == trend.data
    factories.audit(overall="inadequate", submitted_on=date(2024, 3, 21))
    db.session.commit()
    changed = client.get(url, query_string=PERIOD)
    assert changed.status_code == 200
    assert changed.data != first.data
    with app.app_context():
        domain = services.build_period_report(filters)["domains"]["assessment"]
        assert domain["graded"] == 5
        assert changed.data == charts.domain_pie(domain["title"], domain, "svg")
    assert client.get("/reports/charts/overall-trend.svg", query_string=PERIOD).data != trend.data
    missing = client.get("/reports/charts/domain-nothing.svg", query_string=PERIOD)
    assert missing.status_code == 404


def test_downloads_reuse_the_report_change_nothing_and_leave_it_as_it_was(
    app, client, login_as, period_audits
) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    page(client)
    with app.app_context():
        kept = cache.period_report(resolve_filters(PERIOD["from"], PERIOD["to"]), ReportAccess())
        before = copy.deepcopy(kept)
    misses = cache.counts().misses
    for fmt in ("json", "csv", "xlsx", "docx"):
        response = client.get(f"/reports/download.{fmt}", query_string=PERIOD)
        assert response.status_code == 200, fmt
    assert (
        json.loads(client.get("/reports/download.json", query_string=PERIOD).data)[
            "audits_completed"
        ]
        == 4
    )
    # Recorded in the logs, which is not a change to the records: still the same entry.
    page(client)
    assert cache.counts().misses == misses
    assert kept == before


def test_viewing_case_level_pages_does_not_empty_the_cache(client, login_as, period_audits) -> None:  # type: ignore[no-untyped-def]
    """An audit's page writes the access log and commits; the report stays cached."""
    login_as(Role.QA_LEAD)
    page(client)
    misses = cache.counts().misses
    assert client.get(f"/audits/{period_audits.id}").status_code == 200
    assert client.get("/audit-list").status_code == 200
    page(client)
    assert cache.counts().misses == misses


def test_a_draft_autosave_leaves_the_cached_report_and_submitting_shows_at_once(
    app, client, login_as, period_audits
) -> None:  # type: ignore[no-untyped-def]
    """Defect: every autosave of a draft moved the data version, so during a working day the
    report was nearly always built afresh, though no report counts a draft."""
    auditor = login_as(Role.AUDITOR)
    draft = started(auditor)  # begun 20 May 2024
    lead = factories.user(Role.QA_LEAD)
    db.session.commit()
    reader = app.test_client()
    signed_in = reader.post("/sign-in", data={"email": lead.email, "password": factories.PASSWORD})
    assert signed_in.status_code == 302
    to_may = {"to": "2024-05"}
    assert "2 of 4 (50.0%)" in page(reader, **to_may)
    misses = cache.counts().misses
    key = draft.grades[0].domain_key
    saved = client.post(
        f"/audits/{draft.id}/autosave",
        data={
            "version": str(draft.version),
            "section": key,
            f"{key}-grade": "outstanding",
            f"{key}-working_well": "Saved as a draft",
            f"{key}-needs_improvement": "",
            f"{key}-impact": "",
        },
    )
    assert saved.status_code == 200
    assert saved.get_json()["version"] == draft.version + 1  # the draft was saved
    assert "2 of 4 (50.0%)" in page(reader, **to_may)
    assert cache.counts().misses == misses  # from the cache
    db.session.expire_all()
    submit(auditor, completed(draft), today=date(2024, 5, 20))
    db.session.commit()
    # Good or better: 1 Good (submitted now) + 2 Good of 5.
    assert "3 of 5 (60.0%)" in page(reader, **to_may)


def test_the_cache_forgets_the_least_recently_used() -> None:
    lru = cache.LRUCache(capacity=2)
    lru.put("a", 1)
    lru.put("b", 2)
    assert lru.get("a") == (True, 1)
    lru.put("c", 3)
    assert lru.get("b") == (False, None)
    assert lru.get("a") == (True, 1)
    assert lru.get("c") == (True, 3)
    assert len(lru) == 2


def test_a_report_built_over_uncommitted_changes_is_not_kept(app, db, period_audits) -> None:  # type: ignore[no-untyped-def]
    """Regression: a report built inside a transaction holding an uncommitted Inadequate
    audit was kept under the data version, and served after that transaction rolled back."""
    filters = resolve_filters(PERIOD["from"], PERIOD["to"])
    assert services.build_period_report(filters)["overall"]["final"]["inadequate"] == 0
    for _ in range(2):  # first with nothing kept, then with the committed report kept
        factories.audit(overall="inadequate", submitted_on=date(2024, 3, 22))
        db.session.flush()
        uncached = cache.counts().uncached
        inside = cache.period_report(filters, ReportAccess())
        assert inside["overall"]["final"]["inadequate"] == 1
        assert inside["audits_completed"] == 5
        built_without_cache = cache.counts().uncached - uncached
        db.session.rollback()
        after = cache.period_report(filters, ReportAccess())
        assert after["overall"]["final"]["inadequate"] == 0
        assert after["audits_completed"] == 4
        assert built_without_cache == 1
