"""The published-figures data set as a CSV (tests/factories/published_figures.py), imported
as the QA lead imports it: the report reproduces the council's published figures."""

from __future__ import annotations

import io
from datetime import date

from qa_audit.audit_import.services import import_audits
from qa_audit.auth.roles import Role
from qa_audit.report_filters import resolve_filters
from qa_audit.reports.services import build_period_report
from tests import factories
from tests.factories import published_figures


def test_importing_the_csv_reproduces_the_published_figures(db) -> None:  # type: ignore[no-untyped-def]
    lead = factories.user(Role.QA_LEAD)
    data = published_figures.published_figures_csv()

    result = import_audits(lead, io.BytesIO(data), "published.csv", create_users=True)

    assert (result.audits, result.moderations) == (
        published_figures.AUDITS,
        published_figures.MODERATED,
    )
    today = date(2024, 5, 1)
    spring = build_period_report(resolve_filters("2024-02", "2024-04"), today=today)
    assert spring["audits_completed"] == 53
    moderation = spring["moderation"]
    assert (moderation["moderated"], moderation["downgraded"], moderation["upgraded"]) == (
        19,
        4,
        1,
    )
    april = build_period_report(resolve_filters("2024-04", "2024-04"), today=today)
    assert april["overall"]["final_percent"]["good"] == 36.8
    assert april["domains"]["management_oversight"]["good_percent"] == 36.8
    earlier = build_period_report(resolve_filters("2023-04", "2023-04"), today=today)
    assert earlier["audits_completed"] == 11
    assert earlier["overall"]["final_percent"]["good"] == 9.1
    assert earlier["domains"]["management_oversight"]["good_percent"] == 0.0
