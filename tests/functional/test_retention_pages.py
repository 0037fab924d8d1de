"""After the retention schedule has run, an audit's page shows none of what was removed: not
on the page itself, nor in its change history, whose older values are withheld (the log rows
themselves are never changed: their hash chain covers them)."""

from __future__ import annotations

from datetime import date
from html import unescape

from flask.testing import FlaskClient

from qa_audit.auth.roles import Role
from qa_audit.changelog.chain import verify
from qa_audit.core.extensions import db
from qa_audit.retention import services
from tests.factories.audits import submitted

SCHEDULE = services.schedule(12, today=date(2026, 12, 3))


def test_an_anonymised_audits_page_and_history_show_nothing_removed(
    client: FlaskClient, login_as
) -> None:  # type: ignore[no-untyped-def]
    audit = submitted(case_ref="CR80001", today=date(2025, 11, 20), audit_date=date(2025, 11, 14))
    db.session.commit()
    login_as(Role.QA_LEAD)  # sees every audit and its history
    before = unescape(client.get(f"/audits/{audit.id}").get_data(as_text=True))
    assert "CR80001" in before
    assert "Clear impact for the child" in before  # the rationale, in the page and its history

    services.apply(SCHEDULE)
    db.session.commit()

    page = unescape(client.get(f"/audits/{audit.id}").get_data(as_text=True))
    assert "CR80001" not in page
    assert "Clear impact for the child" not in page
    assert "Removed under the retention schedule on 3 December 2026" in page
    # the history still lists every change, without values
    assert '<td class="govuk-table__cell">Anonymised</td>' in page
    assert '<td class="govuk-table__cell">Started</td>' in page
    assert verify(db.session.connection())[1] == []
