"""The moderation outcomes of an auditor's audits on the home page triage (issue 16): the
count, the newest few with one rationale link each, and "View all" to a page of every outcome,
filtered by outcome, paged; older outcomes are no longer out of reach."""

from __future__ import annotations

import re
from datetime import date, timedelta

from qa_audit.auth.roles import Role
from qa_audit.core.extensions import db as _db
from qa_audit.core.home import HOME_LIMIT
from tests import factories
from tests.factories import moderation as mf

FIRST_DAY = date(2024, 1, 1)


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def references(page: str) -> list[str]:
    return re.findall(r">(Q-MOL-\d+)</a>", page)


def moderated(auditor, count: int, downgraded_every: int = 0) -> None:  # type: ignore[no-untyped-def]
    """``count`` audits of ``auditor``, each moderated a day after the one before; every
    ``downgraded_every``-th one downgraded, the rest upheld."""
    moderator = mf.moderator()
    for n in range(count):
        audit = factories.audit(auditor=auditor, reference=f"Q-MOL-{n:02d}", overall="good")
        down = downgraded_every and n % downgraded_every == 0
        mf.completed_moderation(
            audit,
            "requires_improvement" if down else "good",
            moderator,
            domain_grades=False,
            moderated_on=FIRST_DAY + timedelta(days=n),
        )
    _db.session.commit()


def test_fifteen_outcomes_give_the_auditor_a_few_and_a_view_all(client, login_as) -> None:  # type: ignore[no-untyped-def]
    me = login_as(Role.AUDITOR)
    moderated(me, 15)
    page = text_of(client.get("/"))
    section = page[page.index("Moderation outcomes of your audits (15)") :]
    section = section[: section.index("</section>")]
    # The newest first, each with its rationale link in its row (no second list of links).
    assert references(section) == [f"Q-MOL-{n:02d}" for n in range(14, 14 - HOME_LIMIT, -1)]
    assert section.count("Read the moderator's rationale") == HOME_LIMIT
    assert (
        'href="/moderation/your-outcomes">View all moderation outcomes of your audits (15)</a>'
    ) in section


def test_the_outcomes_page_pages_and_filters(client, login_as) -> None:  # type: ignore[no-untyped-def]
    me = login_as(Role.AUDITOR)
    moderated(me, 30, downgraded_every=3)
    mf.completed_moderation(factories.audit(reference="Q-MOL-99"), "good")  # someone else's
    _db.session.commit()
    first = text_of(client.get("/moderation/your-outcomes"))
    assert "Outcomes 1 to 25 of 30" in first
    second = text_of(client.get("/moderation/your-outcomes?page=2"))
    assert "Outcomes 26 to 30 of 30" in second
    assert references(first) + references(second) == [f"Q-MOL-{n:02d}" for n in range(29, -1, -1)]
    assert "Q-MOL-99" not in first + second

    downgraded = text_of(client.get("/moderation/your-outcomes?outcome=downgraded"))
    assert references(downgraded) == [f"Q-MOL-{n:02d}" for n in range(27, -1, -3)]
    assert "Downgraded" in downgraded
    upheld = references(text_of(client.get("/moderation/your-outcomes?outcome=upheld")))
    assert len(upheld) == 20


def test_only_auditors_have_an_outcomes_page(client, login_as) -> None:  # type: ignore[no-untyped-def]
    for role in (Role.QA_LEAD, Role.MODERATOR, Role.SERVICE_MANAGER, Role.VIEWER, Role.ADMIN):
        login_as(role)
        assert client.get("/moderation/your-outcomes").status_code == 403
