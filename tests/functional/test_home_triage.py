"""Home pages that triage (issue 16): audit references in home tables are links to the
audit, and a long list shows its first few rows with a "View all" link to its own page."""

from __future__ import annotations

import re
from datetime import date

from qa_audit.auth.roles import Role
from qa_audit.core.extensions import db as _db
from qa_audit.core.home import HOME_LIMIT
from tests import factories
from tests.factories import moderation as mf


def html_of(response) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_audit_references_on_the_moderators_home_are_links(client, login_as) -> None:  # type: ignore[no-untyped-def]
    me = login_as(Role.MODERATOR)
    audit = factories.audit(reference="Q-LINK-1")
    mf.selected(audit, due_on=date(2099, 2, 3), moderator_user=me)
    _db.session.commit()
    page = html_of(client.get("/"))
    assert f'<a class="govuk-link" href="/audits/{audit.id}">Q-LINK-1</a>' in page


def test_the_auditors_outcomes_link_their_audits(client, login_as) -> None:  # type: ignore[no-untyped-def]
    me = login_as(Role.AUDITOR)
    audit = factories.audit(auditor=me, reference="Q-LINK-2")
    mf.completed(
        audit, moderator_user=mf.moderator(), overall="good", moderated_on=date(2024, 1, 6)
    )
    _db.session.commit()
    page = html_of(client.get("/"))
    outcomes = page[page.index("Moderation outcomes of your audits") :]
    assert f'<a class="govuk-link" href="/audits/{audit.id}">Q-LINK-2</a>' in outcomes


def test_a_long_moderation_list_shows_a_few_and_a_view_all_link(client, login_as) -> None:  # type: ignore[no-untyped-def]
    me = login_as(Role.MODERATOR)
    for n in range(HOME_LIMIT + 3):
        mf.selected(
            factories.audit(reference=f"Q-MANY-{n}"), due_on=date(2099, 2, 3), moderator_user=me
        )
    _db.session.commit()
    page = html_of(client.get("/"))
    assert f"Moderation assigned to you ({HOME_LIMIT + 3})" in page
    assert len(re.findall(r">Q-MANY-\d+</a>", page)) == HOME_LIMIT
    assert f'href="/moderation/">View all moderation assigned to you ({HOME_LIMIT + 3})</a>' in page
