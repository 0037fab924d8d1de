"""The evidence explorer's entries, counts and scope, through the database (SQLite or
PostgreSQL, whichever the suite runs on)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.evidence import queries
from qa_audit.evidence.filters import EvidenceFilters, evidence_filters
from qa_audit.reports.services import build_period_report
from tests import factories
from tests.factories.audits import theme
from tests.factories.evidence import evidenced
from tests.factories.moderation import completed_moderation

APRIL = date(2024, 4, 15)
MARCH = date(2024, 3, 10)


def lead() -> User:
    return factories.user(Role.QA_LEAD)


def chosen(user: User, **args: str) -> EvidenceFilters:
    return evidence_filters({"from": "2024-02", "to": "2024-04", **args}, user)


def texts(filters: EvidenceFilters, user: User) -> list[tuple[str, str]]:
    return [(e.kind, e.text) for e in queries.all_entries(filters, user)]


def test_every_non_blank_text_of_counted_audits_is_an_entry(db: Any) -> None:
    me = lead()
    evidenced(
        {"assessment": ("Thorough assessment", "", "Child safer at home")}, submitted_on=APRIL
    )
    evidenced({"permanence": ("", "   ", "")}, submitted_on=MARCH)  # blank: no entry
    evidenced({"assessment": ("A draft's text", "", "")}, status="draft", overall=None)
    evidenced({"assessment": ("Returned", "", "")}, status="returned", submitted_on=APRIL)
    evidenced({"assessment": ("Too early", "", "")}, submitted_on=date(2024, 1, 31))
    evidenced({"assessment": ("Closed audit", "", "")}, status="closed", submitted_on=MARCH)

    found = texts(chosen(me), me)

    assert sorted(found) == [
        ("impact", "Child safer at home"),
        ("working_well", "Closed audit"),
        ("working_well", "Thorough assessment"),
    ]


def test_the_explorers_audits_are_the_reports_audits_completed(db: Any) -> None:
    """Scope equals the report's: submitted and closed audits of the period, under the same
    filters (service area, tool, audit type), drafts and returned audits out."""
    me = lead()
    for area, month in (("locality", APRIL), ("locality", MARCH), ("front_door", APRIL)):
        evidenced({}, area_key=area, submitted_on=month)
    evidenced({}, area_key="locality", submitted_on=APRIL, audit_type="closing_the_loop")
    evidenced({}, status="draft", overall=None)
    evidenced({}, status="returned", submitted_on=APRIL)
    evidenced({}, status="closed", submitted_on=MARCH, tool_key="qaif-2022")
    for args in (
        {},
        {"service_area": "locality"},
        {"service_area": "front_door"},
        {"tool": "qaif-2022"},
        {"audit_type": "closing_the_loop"},
        {"audit_type": "deep_dive", "service_area": "locality"},
    ):
        filters = chosen(me, **args)
        assert (
            queries.audits_completed(filters)
            == (build_period_report(filters.report)["audits_completed"])
        ), args
    assert queries.audits_completed(chosen(me)) == 5


def test_the_grade_is_the_principles_final_grade(db: Any) -> None:
    """Moderated: the moderator's grade of that principle; otherwise the auditor's."""
    me = lead()
    regraded = evidenced(
        {"assessment": ("Regraded", "", ""), "permanence": ("Agreed", "", "")},
        overall="good",
        submitted_on=APRIL,
    )
    completed_moderation(regraded, "requires_improvement", grades={"assessment": "inadequate"})
    evidenced({"assessment": ("Not moderated", "", "")}, overall="good", submitted_on=APRIL)

    graded = {e.text: e.grade for e in queries.all_entries(chosen(me), me)}
    assert graded == {"Regraded": "inadequate", "Agreed": "good", "Not moderated": "good"}
    assert texts(chosen(me, grade="inadequate"), me) == [("working_well", "Regraded")]
    assert sorted(texts(chosen(me, grade="good"), me)) == [
        ("working_well", "Agreed"),
        ("working_well", "Not moderated"),
    ]


def test_filters_by_principle_kind_theme_area_team_and_tool(db: Any) -> None:
    me = lead()
    tagged = evidenced(
        {"assessment": ("A1", "A2", "A3"), "permanence": ("P1", "", "")}, submitted_on=APRIL
    )
    theme(tagged, "Drift and delay")
    evidenced({"assessment": ("B1", "", "")}, area_key="front_door", submitted_on=APRIL)
    evidenced({"assessment": ("C1", "", "")}, tool_key="qaif-2022", submitted_on=MARCH)

    def only(**args: str) -> list[str]:
        return sorted(text for _, text in texts(chosen(me, **args), me))

    assert only(principle="permanence") == ["P1"]
    assert only(kind="needs_improvement") == ["A2"]
    assert only(kind="impact", principle="assessment") == ["A3"]
    theme_id = str(tagged.learning_themes[0].id)
    assert only(theme=theme_id) == ["A1", "A2", "A3", "P1"]
    assert only(service_area="front_door") == ["B1"]
    assert only(tool="qaif-2022") == ["C1"]
    team = tagged.team
    assert team is not None
    assert only(team=str(team.id)) == ["A1", "A2", "A3", "C1", "P1"]


def test_each_option_counts_the_entries_the_other_filters_let_through(db: Any) -> None:
    """Worked by hand. Entries: locality April (assessment WW, NI; permanence WW), themed;
    front door April (assessment WW); locality March, qaif-2022 (assessment IM).
    With principle = assessment chosen:
      principle (leaves itself out): assessment 4, permanence 1
      kind: working_well 2, needs_improvement 1, impact 1
      service area: locality 3, front_door 1
      theme: the themed audit's assessment entries, 2"""
    me = lead()
    tagged = evidenced(
        {"assessment": ("W", "N", ""), "permanence": ("W", "", "")}, submitted_on=APRIL
    )
    theme(tagged, "Drift and delay")
    evidenced({"assessment": ("W", "", "")}, area_key="front_door", submitted_on=APRIL)
    evidenced({"assessment": ("", "", "I")}, tool_key="qaif-2022", submitted_on=MARCH)

    counts = queries.facet_counts(chosen(me, principle="assessment"))

    assert dict(counts["principle"]) == {"assessment": 4, "permanence": 1}
    assert dict(counts["kind"]) == {"working_well": 2, "needs_improvement": 1, "impact": 1}
    areas = {
        a.id: a.key
        for a in (factories.service_area("locality"), factories.service_area("front_door"))
    }
    assert {areas[k]: n for k, n in counts["service_area"].items()} == {
        "locality": 3,
        "front_door": 1,
    }
    assert dict(counts["theme"]) == {tagged.learning_themes[0].id: 2}
    assert sum(counts["grade"].values()) == 4

    rows, paging, audits = queries.entries_page(chosen(me, principle="assessment"), me)
    assert paging.total == 4
    assert audits == 3
    assert len(rows) == 4


def test_pages_hold_twenty_five_entries_in_principle_order(db: Any) -> None:
    me = lead()
    for n in range(9):
        evidenced(
            {"permanence": (f"P{n}", "", ""), "assessment": (f"A{n}", f"N{n}", f"I{n}")},
            submitted_on=APRIL,
        )
    first, paging, _ = queries.entries_page(chosen(me), me, page=1)
    second, _, _ = queries.entries_page(chosen(me), me, page=2)
    assert paging.total == 36
    assert paging.pages == 2
    assert len(first) == 25
    assert len(second) == 11
    assert first[0].principle == "assessment"
    assert [e.kind for e in first[:9]] == ["working_well"] * 9
    assert {e.principle for e in second} == {"assessment", "permanence"}
    assert second[-1].principle == "permanence"


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.QA_LEAD])
def test_every_entry_may_be_opened_by_leads_and_moderators(db: Any, role: Role) -> None:
    evidenced({"assessment": ("W", "", "")}, submitted_on=APRIL, area_key="front_door")
    person = factories.user(role)
    assert [e.may_open for e in queries.all_entries(chosen(person), person)] == [True]


def test_a_service_manager_sees_their_own_area_whatever_is_asked(db: Any) -> None:
    evidenced({"assessment": ("Ours", "", "")}, submitted_on=APRIL, area_key="locality")
    evidenced({"assessment": ("Theirs", "", "")}, submitted_on=APRIL, area_key="front_door")
    manager = factories.user(Role.SERVICE_MANAGER, area_key="locality")
    for args in ({}, {"service_area": "front_door"}):
        filters = chosen(manager, **args)
        assert filters.report.service_area_key == "locality"
        assert [(e.text, e.may_open) for e in queries.all_entries(filters, manager)] == [
            ("Ours", True)
        ]
    # Also a viewer: still their own area's evidence, not a viewer's view of every area.
    both = factories.user(Role.SERVICE_MANAGER, Role.VIEWER, area_key="locality")
    assert [e.text for e in queries.all_entries(chosen(both), both)] == ["Ours"]
