"""The All audits and My audits queries: filters, the final grade, paging, scoping."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import event

from qa_audit.audit_lists import queries as lists
from qa_audit.audit_lists.queries import AuditFilters
from qa_audit.audit_tools.grades import Grade
from qa_audit.audits.access import can_view_audit
from qa_audit.audits.models import AuditStatus, AuditType
from qa_audit.auth.roles import Role
from qa_audit.core.extensions import db as _db
from qa_audit.core.paging import Paging
from qa_audit.moderation.models import Moderation
from tests import factories
from tests.factories.moderation import completed_moderation


@contextmanager
def counting_queries() -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            statements.append(statement)

    engine = _db.session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def refs(rows: list[lists.AuditRow]) -> set[str]:
    return {r.reference for r in rows}


@pytest.fixture
def lead(db):  # type: ignore[no-untyped-def]
    return factories.user(Role.QA_LEAD)


def test_final_grade_is_the_completed_moderations_else_the_auditors(db, lead) -> None:
    downgraded = factories.audit(overall="good", reference="QA-A")
    completed_moderation(downgraded, "requires_improvement")
    factories.audit(overall="requires_improvement", reference="QA-B")
    pending = factories.audit(overall="good", reference="QA-C")
    # A moderation still in the queue does not count, whatever grade it holds so far.
    db.session.add(
        Moderation(
            audit_id=pending.id,
            status="selected",
            selection_reason="queued",
            overall_grade="inadequate",
        )
    )
    db.session.flush()

    ri, _ = lists.all_audits(lead, AuditFilters(grade=Grade.REQUIRES_IMPROVEMENT))
    assert refs(ri) == {"QA-A", "QA-B"}
    good, _ = lists.all_audits(lead, AuditFilters(grade=Grade.GOOD))
    assert refs(good) == {"QA-C"}
    inadequate, _ = lists.all_audits(lead, AuditFilters(grade=Grade.INADEQUATE))
    assert inadequate == []

    row = next(r for r in ri if r.reference == "QA-A")
    assert row.moderated
    assert row.final is Grade.REQUIRES_IMPROVEMENT
    assert row.overall is Grade.GOOD
    assert not next(r for r in ri if r.reference == "QA-B").moderated


def test_each_filter_narrows_the_list(db, lead) -> None:
    factories.audit(reference="APR", submitted_on=date(2024, 4, 2))
    factories.audit(reference="MAY", submitted_on=date(2024, 5, 30))
    factories.audit(reference="FD", area_key="front_door", submitted_on=date(2024, 5, 1))
    old_tool = factories.audit(
        reference="QAIF", tool_key="qaif-2022", submitted_on=date(2023, 1, 9)
    )
    factories.audit(reference="CTL", audit_type="closing_the_loop", submitted_on=date(2024, 6, 3))
    factories.audit(reference="DRAFT", status="draft", overall=None)
    locality = factories.service_area("locality")
    other_team = locality.teams[1]
    moved = factories.audit(reference="TEAM2")
    moved.team = other_team
    _db.session.flush()

    def only(**kwargs: object) -> set[str]:
        rows, paging = lists.all_audits(lead, AuditFilters(**kwargs))  # type: ignore[arg-type]
        assert paging.total == len(rows)
        return refs(rows)

    assert only() == {"APR", "MAY", "FD", "QAIF", "CTL", "DRAFT", "TEAM2"}
    assert only(month="2024-05") == {"MAY", "FD"}
    assert only(service_area_id=factories.service_area("front_door").id) == {"FD"}
    assert only(team_id=other_team.id) == {"TEAM2"}
    assert only(status=AuditStatus.DRAFT) == {"DRAFT"}
    assert only(tool_id=old_tool.tool_id) == {"QAIF"}
    assert only(audit_type=AuditType.CLOSING_THE_LOOP) == {"CTL"}
    assert only(month="2024-05", service_area_id=locality.id) == {"MAY"}


def test_paging_is_25_a_page_with_one_query_for_the_page_and_one_for_the_count(db, lead) -> None:
    auditor = factories.user(Role.AUDITOR)
    made = [
        factories.audit(auditor=auditor, submitted_on=date(2024, 1, 1 + n), reference=f"P-{n:02d}")
        for n in range(28)
    ]
    assert lead.has_role(Role.QA_LEAD)  # the acting user is already loaded, as in a request
    with counting_queries() as statements:
        first, paging = lists.all_audits(lead, AuditFilters(), page=1)
        # Reading every field of every row must not fetch anything more.
        _ = [(r.auditor, r.service_area, r.team, r.tool, r.final) for r in first]
    assert len(statements) == 2, statements
    assert (paging.total, paging.pages, len(first)) == (28, 2, 25)
    assert (paging.first_item, paging.last_item) == (1, 25)
    # Newest submitted first.
    assert first[0].reference == "P-27"
    assert first[-1].reference == "P-03"
    second, paging2 = lists.all_audits(lead, AuditFilters(), page=2)
    assert [r.reference for r in second] == ["P-02", "P-01", "P-00"]
    assert (paging2.first_item, paging2.last_item) == (26, 28)
    # A page past the end shows the last page.
    beyond, paging9 = lists.all_audits(lead, AuditFilters(), page=9)
    assert paging9.page == 2
    assert len(beyond) == 3
    assert {r.id for r in first} | {r.id for r in second} == {a.id for a in made}


def test_pagination_component_parameters() -> None:
    paging = Paging(page=5, per_page=25, total=250)
    params = paging.govuk_params(lambda n: f"?page={n}", "Pages")
    assert params is not None
    numbers = [item.get("number", "…") for item in params["items"]]
    assert numbers == [1, "…", 4, 5, 6, "…", 10]
    assert params["previous"] == {"href": "?page=4"}
    assert params["next"] == {"href": "?page=6"}
    assert Paging(page=1, per_page=25, total=25).govuk_params(str, "x") is None


def test_service_manager_sees_only_their_own_areas_audits(db) -> None:
    factories.audit(reference="LOC-1")
    factories.audit(reference="LOC-2", status="draft", overall=None)
    factories.audit(reference="FD-1", area_key="front_door")
    manager = factories.user(Role.SERVICE_MANAGER, area_key="locality")
    rows, paging = lists.all_audits(manager, AuditFilters())
    assert refs(rows) == {"LOC-1", "LOC-2"}
    assert paging.total == 2
    # Asking for another area's audits gives nothing, not that area's audits.
    front_door = factories.service_area("front_door").id
    rows, paging = lists.all_audits(manager, AuditFilters(service_area_id=front_door))
    assert rows == []
    assert paging.total == 0
    # The filter offers only their own area.
    options = lists.filter_choices(manager)
    assert [label for _, label in options["service_area_id"]] == [
        "Locality (Children in Need / Child Protection)"
    ]
    assert all(label.startswith("Locality") for _, label in options["team_id"])
    # Without a service area a service manager sees nothing.
    nowhere = factories.user(Role.SERVICE_MANAGER)
    assert lists.all_audits(nowhere, AuditFilters())[1].total == 0


def test_moderators_see_everything_and_others_nothing(db) -> None:
    factories.audit(reference="LOC-1")
    factories.audit(reference="FD-1", area_key="front_door")
    moderator = factories.user(Role.MODERATOR)
    assert refs(lists.all_audits(moderator, AuditFilters())[0]) == {"LOC-1", "FD-1"}
    for role in (Role.AUDITOR, Role.VIEWER, Role.ADMIN):
        assert lists.all_audits(factories.user(role), AuditFilters())[1].total == 0


def test_case_level_access_rules(db) -> None:
    auditor = factories.user(Role.AUDITOR)
    audit = factories.audit(auditor=auditor)
    assert can_view_audit(auditor, audit)
    assert not can_view_audit(factories.user(Role.AUDITOR), audit)
    assert can_view_audit(factories.user(Role.SERVICE_MANAGER, area_key="locality"), audit)
    assert not can_view_audit(factories.user(Role.SERVICE_MANAGER, area_key="fgc"), audit)
    assert can_view_audit(factories.user(Role.MODERATOR), audit)
    assert can_view_audit(factories.user(Role.QA_LEAD), audit)
    assert not can_view_audit(factories.user(Role.VIEWER), audit)
    assert not can_view_audit(factories.user(Role.ADMIN), audit)


def test_my_audits_groups_drafts_returned_and_submitted(db) -> None:
    me = factories.user(Role.AUDITOR)
    factories.audit(auditor=me, reference="D", status="draft", overall=None)
    returned = factories.audit(auditor=me, reference="R", status="returned")
    returned.returned_reason = "Evidence for the permanence domain is missing"
    factories.audit(auditor=me, reference="S", status="submitted")
    factories.audit(auditor=me, reference="C", status="closed")
    factories.audit(reference="NOT-MINE")
    _db.session.flush()
    mine = lists.my_audits(me)
    assert refs(mine.drafts) == {"D"}
    assert refs(mine.returned) == {"R"}
    assert mine.returned[0].returned_reason == "Evidence for the permanence domain is missing"
    assert refs(mine.submitted) == {"S", "C"}


@pytest.mark.parametrize("bad", ["2024-13", "24-04", "2024-4", "April", "2024-04-01"])
def test_month_must_be_year_and_month(bad: str) -> None:
    with pytest.raises(ValueError, match="for example 2024-04"):
        lists.check_month(bad)
    assert lists.check_month(" 2024-04 ") == "2024-04"
