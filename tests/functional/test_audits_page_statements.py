"""One audit's page reads what it shows in a fixed number of statements, however many people
appear on it. Regression: the page took 29 statements on the benchmark's audit, reading every
person's roles and their service area's teams, the tool's domains, and the whole audit again
with its moderation (docs/benchmark.md)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, select

from qa_audit.audits.comments import services as comments
from qa_audit.audits.models import FeedbackConversation
from qa_audit.audits.safeguarding import services as safeguarding
from qa_audit.auth.roles import Role
from qa_audit.learning_themes.models import LearningTheme
from tests import factories
from tests.factories import actions as fa
from tests.factories import moderation as mf

# The page's reads: the signed-in person (with their roles), the audit (with its area, team,
# auditor and tool), its domain grades, change history, learning themes, feedback, actions,
# moderation, the moderator's grades, the moderator's ratings of the audit's quality,
# safeguarding concerns and comments. Before, the page took
# 30 on this audit (every person's roles and area's teams; the audit again with its moderation;
# the person again for the access log, which looked the audit's references up too).
PAGE_SELECTS = 12


@contextmanager
def counted_selects(db) -> Iterator[list[str]]:  # type: ignore[no-untyped-def]
    seen: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(" ".join(statement.split())[:100])

    engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def audit_with_people(db, people: int):  # type: ignore[no-untyped-def]
    """A moderated audit with ``people`` actions, concerns and comments, each by someone else
    with roles and a service area (whose teams the models would load with them)."""
    audit = factories.audit(
        auditor=factories.user(Role.AUDITOR, area_key="locality"), reference=f"Q-PEOPLE-{people}"
    )
    audit.learning_themes.extend(db.session.scalars(select(LearningTheme).limit(2)))
    audit.feedback.append(
        FeedbackConversation(
            who="child", how="visit", said="They listened", tone="positive", consent_to_quote=True
        )
    )
    for n in range(people):
        owner = factories.user(Role.AUDITOR, Role.SERVICE_MANAGER, area_key="front_door")
        fa.action(owner=owner, audit_id=audit.id, description=f"Action number {n}")
        raiser = factories.user(Role.MODERATOR, area_key="front_door")
        safeguarding.raise_concern(raiser, audit, f"Concern number {n}")
        commenter = factories.user(Role.SERVICE_MANAGER, area_key="locality")
        comments.add_comment(commenter, audit, "practitioner", f"Comment number {n}")
    mf.completed(
        audit,
        moderator_user=mf.moderator(area_key="front_door"),
        overall="requires_improvement",
        grades={"plans_and_planning": "requires_improvement"},
        rationale="Plans lack timescales",
    )
    db.session.commit()
    return audit


def test_the_audit_page_reads_in_a_fixed_number_of_statements(login_as, client, db) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    pages = {people: f"/audits/{audit_with_people(db, people).id}" for people in (1, 4)}
    client.get(pages[1])  # the client's first request: nothing left to warm
    counts = {}
    for people, path in pages.items():
        with counted_selects(db) as selects:
            response = client.get(path)
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        for n in range(people):  # everything is on the page, so everything was read
            for text in (f"Action number {n}", f"Concern number {n}", f"Comment number {n}"):
                assert text in page
        assert "Moderation outcome" in page
        assert "Plans lack timescales" in page
        counts[people] = len(selects)
    assert counts[1] == counts[4], "\n".join(selects)
    assert counts[4] <= PAGE_SELECTS, "\n".join(selects)


def test_a_moderation_is_read_without_its_audit_again(login_as, client, db) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    path = f"/audits/{audit_with_people(db, 1).id}"
    client.get(path)
    with counted_selects(db) as selects:
        client.get(path)
    moderation = [s for s in selects if s.startswith("SELECT moderation.id")]
    assert len(moderation) == 1
    assert " JOIN audit " not in moderation[0]
    assert not [s for s in selects if "FROM user_role" in s or "FROM team " in s]
