"""The grade pairs under a period and the report's filters, read from the database in one
statement (run on SQLite and on PostgreSQL)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from qa_audit.agreement.pairs import OVERALL
from qa_audit.auth.roles import Role
from qa_audit.core.extensions import db
from qa_audit.moderation.models import Moderation
from qa_audit.report_filters import ReportFilters
from tests import factories
from tests.agreement_reference import grade_pairs, measures
from tests.factories import moderation as mf

DOMAINS = 5  # practice-principles-2024 has five domains; each audit adds one overall pair


def _world():  # type: ignore[no-untyped-def]
    moderator = mf.moderator()
    alice = factories.user(Role.AUDITOR, name="Alice Auditor")
    bob = factories.user(Role.AUDITOR, name="Bob Auditor")
    april = factories.audit(
        auditor=alice,
        overall="good",
        grades={"permanence": "not_applicable"},
        submitted_on=date(2024, 4, 10),
    )
    mf.completed_moderation(
        april, "requires_improvement", moderator, grades={"assessment": "requires_improvement"}
    )
    may = factories.audit(
        auditor=bob, overall="outstanding", area_key="fostering", submitted_on=date(2024, 5, 3)
    )
    mf.completed_moderation(may, "good", moderator)
    # Not counted: a moderation still waiting, a withdrawn one, a draft audit's, and an
    # audit submitted outside the period.
    mf.selected(factories.audit(auditor=alice, submitted_on=date(2024, 4, 11)))
    withdrawn = mf.selected(factories.audit(auditor=alice, submitted_on=date(2024, 4, 12)))
    withdrawn.status = "withdrawn"
    mf.completed_moderation(factories.audit(auditor=alice, submitted_on=date(2024, 7, 1)), "good")
    db.session.flush()
    return april, may


def test_one_row_per_moderated_domain_and_one_for_the_overall_judgement(db) -> None:  # type: ignore[no-untyped-def]
    april, may = _world()
    pairs = grade_pairs(ReportFilters("2024-04", "2024-05"))
    assert len(pairs) == 2 * (DOMAINS + 1)
    assert set(pairs["audit_id"]) == {april.id, may.id}
    overall = pairs[pairs["domain_key"] == OVERALL].set_index("audit_id")
    # Scores: Outstanding 4, Good 3, Requires improvement 2, Inadequate 1.
    assert (overall.loc[april.id, "auditor"], overall.loc[april.id, "moderator"]) == (3, 2)
    assert (overall.loc[may.id, "auditor"], overall.loc[may.id, "moderator"]) == (4, 3)
    assert overall.loc[april.id, "auditor_name"] == "Alice Auditor"
    assert overall.loc[may.id, "month"] == "2024-05"
    assessment = pairs[(pairs["audit_id"] == april.id) & (pairs["domain_key"] == "assessment")]
    assert assessment[["auditor", "moderator"]].values.tolist() == [[3, 2]]
    # Not applicable is a missing score, left out by the statistics: 12 rows, 11 pairs.
    assert measures(pairs, minimum_pairs=1).pairs == 2 * (DOMAINS + 1) - 1


def test_the_report_filters_narrow_the_pairs(db) -> None:  # type: ignore[no-untyped-def]
    april, may = _world()
    assert set(grade_pairs(ReportFilters("2024-04", "2024-04"))["audit_id"]) == {april.id}
    fostering = ReportFilters("2024-01", "2024-12", service_area_id=may.service_area_id)
    assert set(grade_pairs(fostering)["audit_id"]) == {may.id}
    team = ReportFilters("2024-01", "2024-06", team_id=april.team_id)
    assert set(grade_pairs(team)["audit_id"]) == {april.id}
    assert grade_pairs(ReportFilters("2024-01", "2024-12", audit_type="dip_sample")).empty


def test_the_blind_grade_is_compared_where_there_is_one(db) -> None:  # type: ignore[no-untyped-def]
    april, _may = _world()
    moderation = db.session.scalar(select(Moderation).where(Moderation.audit_id == april.id))
    moderation.blind = True
    moderation.blind_overall_grade = "inadequate"
    next(g for g in moderation.grades if g.domain_key == "assessment").blind_grade = "good"
    db.session.flush()
    pairs = grade_pairs(ReportFilters("2024-04", "2024-04")).set_index("domain_key")
    assert pairs.loc[OVERALL, "moderator"] == 1
    assert pairs.loc["assessment", "moderator"] == 3
    # A domain with no blind grade falls back to the final decision.
    assert pairs.loc["plans_and_planning", "moderator"] == 3
