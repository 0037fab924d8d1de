"""The period report against figures worked out by hand (the working is in the comments).

Period February to April 2024, 19 audits that count (locality, practice principles 2024):

  #   month  audited  moderated (outcome)        management oversight (audited -> final)
  1   Feb    good     RI (downgraded, in May)     RI
  2   Feb    good     -                           good
  3   Feb    RI       -                           inadequate
  4   Feb    RI       RI (upheld)                 RI
  5   Feb    inad     inad (upheld)               inadequate
  6   Feb    outst    -                           good
  7   Mar    good     good (upheld)               good
  8   Mar    good     -                           RI
  9   Mar    RI       good (upgraded)             RI -> good
  10  Mar    RI       -                           RI
  11  Mar    RI       -                           inadequate
  12  Mar    good (closed) -                      good
  13  Apr    good     -                           good
  14  Apr    good     RI (downgraded)             good -> RI
  15  Apr    RI       -                           RI
  16  Apr    RI       -                           RI
  17  Apr    RI       -                           RI
  18  Apr    inad     RI (upgraded)               inadequate -> RI
  19  Apr    RI       selected, not yet moderated RI

Not counted: a draft and a returned audit in March, an audit in another month (January,
which is in the twelve-month direction of travel only). Other domains take the overall grade
as audited, except permanence N/A on #3, #10, #15 and assessment on #1 moderated to RI.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from qa_audit.auth.roles import Role
from qa_audit.core.extensions import db
from qa_audit.report_filters import ReportAccess, resolve_filters
from qa_audit.reports.services import build_period_report
from tests import factories
from tests.factories import reports as make

TODAY = date(2024, 5, 20)
PLAN = [
    # month, audited, status, moderated, mo (audited), mo (moderated)
    ("02", "good", "submitted", "requires_improvement", "requires_improvement", None),
    ("02", "good", "submitted", None, "good", None),
    ("02", "requires_improvement", "submitted", None, "inadequate", None),
    (
        "02",
        "requires_improvement",
        "submitted",
        "requires_improvement",
        "requires_improvement",
        None,
    ),
    ("02", "inadequate", "submitted", "inadequate", "inadequate", None),
    ("02", "outstanding", "submitted", None, "good", None),
    ("03", "good", "submitted", "good", "good", None),
    ("03", "good", "submitted", None, "requires_improvement", None),
    ("03", "requires_improvement", "submitted", "good", "requires_improvement", "good"),
    ("03", "requires_improvement", "submitted", None, "requires_improvement", None),
    ("03", "requires_improvement", "submitted", None, "inadequate", None),
    ("03", "good", "closed", None, "good", None),
    ("04", "good", "submitted", None, "good", None),
    ("04", "good", "submitted", "requires_improvement", "good", "requires_improvement"),
    ("04", "requires_improvement", "submitted", None, "requires_improvement", None),
    ("04", "requires_improvement", "submitted", None, "requires_improvement", None),
    ("04", "requires_improvement", "submitted", None, "requires_improvement", None),
    ("04", "inadequate", "submitted", "requires_improvement", "inadequate", "requires_improvement"),
    ("04", "requires_improvement", "submitted", None, "requires_improvement", None),
]
NA_PERMANENCE = {3, 10, 15}


@pytest.fixture
def audits(db):  # type: ignore[no-untyped-def]
    auditor = factories.user(Role.AUDITOR)
    moderator = factories.user(Role.MODERATOR)
    made = {}
    for number, (month, audited, status, moderated, mo, mo_moderated) in enumerate(PLAN, 1):
        grades = {"management_oversight": mo}
        if number in NA_PERMANENCE:
            grades["permanence"] = "not_applicable"
        audit = factories.audit(
            auditor=auditor,
            overall=audited,
            grades=grades,
            status=status,
            submitted_on=date(2024, int(month), 15),
        )
        made[number] = audit
        if moderated:
            moderation_grades = {}
            if mo_moderated:
                moderation_grades["management_oversight"] = mo_moderated
            if number == 1:
                moderation_grades["assessment"] = "requires_improvement"
            make.moderation(
                audit,
                moderated,
                grades=moderation_grades,
                by=moderator,
                moderated_on=date(2024, 5, 10) if number == 1 else None,
            )
    # 19 is selected for moderation but not moderated yet: its grade stays the auditor's.
    make.moderation(made[19], "good", by=moderator, status="selected")
    # Not counted in the period.
    draft = factories.audit(
        auditor=auditor, overall="good", status="draft", submitted_on=date(2024, 3, 3)
    )
    returned = factories.audit(
        auditor=auditor, overall="inadequate", status="returned", submitted_on=date(2024, 3, 3)
    )
    january = factories.audit(auditor=auditor, overall="good", submitted_on=date(2024, 1, 9))
    made.update(draft=draft, returned=returned, january=january)
    _reflective_conversation(made[5], moderator)

    make.feedback(made[1], "child", "positive", "I feel listened to now.", consent=True)
    make.feedback(made[2], "father", "constructive")
    make.feedback(made[3], "mother", "positive", "My worker always calls back.", consent=True)
    make.feedback(made[6], "foster_carer", "positive")
    make.feedback(
        made[7],
        "care_experienced_adult",
        "constructive",
        "I wish someone had explained my plan.",
        consent=True,
    )
    make.feedback(made[8], "father", "positive")
    make.feedback(made[13], "child", "constructive")
    make.feedback(draft, "child", "positive", "DRAFT QUOTE", consent=True)
    make.feedback(january, "child", "positive", "JANUARY QUOTE", consent=True)

    for number in (1, 2, 13):
        make.theme(made[number], "Drift and delay")
    make.theme(made[4], "Plans not SMART")
    make.theme(made[2], "Fathers and significant males not engaged")
    make.theme(january, "Drift and delay")
    make.theme(january, "Fathers and significant males not engaged")
    make.theme(draft, "Plans not SMART")

    make.action(made[1], date(2024, 4, 1), done=True)
    make.action(made[1], date(2024, 5, 1))
    make.action(made[5], date(2024, 6, 30))
    make.action(made[14], date(2024, 5, 19))
    make.action(january, date(2024, 2, 1))
    db.session.flush()
    return made


def _reflective_conversation(audit, moderator):  # type: ignore[no-untyped-def]
    from qa_audit.moderation.models import Moderation, ReflectiveConversation

    moderation = db.session.query(Moderation).filter_by(audit_id=audit.id).one()
    db.session.add(
        ReflectiveConversation(
            moderation_id=moderation.id,
            audit_id=audit.id,
            service_area_id=audit.service_area_id,
            status="held",
            due_on=date(2024, 3, 1),
            held_on=date(2024, 2, 28),
            participants="Service manager, practitioner",
            learning="Learning",
            recorded_by_id=moderator.id,
            recorded_at=datetime(2024, 2, 28, tzinfo=UTC),
        )
    )


def report(**kwargs):  # type: ignore[no-untyped-def]
    filters = resolve_filters(
        kwargs.pop("first", "2024-02"), kwargs.pop("last", "2024-04"), **kwargs
    )
    return build_period_report(filters, today=TODAY)


def test_audits_completed_and_overall_grades(audits) -> None:
    r = report()
    assert r["period"] == {"from": "2024-02", "to": "2024-04"}
    assert r["filters"] == {}
    assert r["audits_completed"] == 19
    overall = r["overall"]
    # Final: #1 and #14 down to RI, #9 up to Good, #18 up to RI.
    assert overall["final"] == {
        "outstanding": 1,
        "good": 6,
        "requires_improvement": 11,
        "inadequate": 1,
    }
    assert overall["final_percent"] == {
        "outstanding": 5.3,
        "good": 31.6,
        "requires_improvement": 57.9,
        "inadequate": 5.3,
    }
    assert overall["as_audited"] == {
        "outstanding": 1,
        "good": 7,
        "requires_improvement": 9,
        "inadequate": 2,
    }
    assert overall["as_audited_percent"] == {
        "outstanding": 5.3,
        "good": 36.8,
        "requires_improvement": 47.4,
        "inadequate": 10.5,
    }
    assert overall["good_or_better"] == 7
    assert overall["good_or_better_percent"] == 36.8
    assert r["few_audits"] is False


def test_moderation_is_counted_over_the_audits_of_the_period(audits) -> None:
    m = report()["moderation"]
    # #1 (moderated in May) #4 #5 #7 #9 #14 #18; #19 only selected.
    assert m["moderated"] == 7
    assert m["percent_moderated"] == 36.8
    assert (m["upheld"], m["upgraded"], m["downgraded"]) == (3, 2, 2)
    assert (m["upheld_percent"], m["upgraded_percent"], m["downgraded_percent"]) == (
        42.9,
        28.6,
        28.6,
    )
    by = m["by_original_grade"]
    assert by["outstanding"] == {
        "audits": 1,
        "moderated": 0,
        "percent_moderated": 0.0,
        "upheld": 0,
        "upgraded": 0,
        "downgraded": 0,
        "upheld_percent": None,
        "upgraded_percent": None,
        "downgraded_percent": None,
    }
    assert (by["good"]["audits"], by["good"]["moderated"], by["good"]["percent_moderated"]) == (
        7,
        3,
        42.9,
    )
    assert (by["good"]["upheld"], by["good"]["upgraded"], by["good"]["downgraded"]) == (1, 0, 2)
    assert (by["requires_improvement"]["moderated"], by["requires_improvement"]["audits"]) == (2, 9)
    assert by["requires_improvement"]["percent_moderated"] == 22.2
    assert by["inadequate"]["percent_moderated"] == 100.0
    assert (by["inadequate"]["upheld"], by["inadequate"]["upgraded"]) == (1, 1)
    assert m["reflective_conversations"] == {"due": 1, "done": 1, "overdue": 0, "available": True}


def test_a_moderation_in_a_later_month_counts_in_the_period_of_its_audit(audits) -> None:
    may = report(first="2024-05", last="2024-05")
    assert may["audits_completed"] == 0
    assert may["moderation"]["moderated"] == 0
    february = report(first="2024-02", last="2024-02")
    assert february["moderation"]["moderated"] == 3  # #1, #4, #5
    assert february["moderation"]["downgraded"] == 1  # #1, moderated on 10 May


def test_domains_final_grades_leave_not_applicable_out(audits) -> None:
    domains = report()["domains"]
    assert list(domains) == [
        "assessment",
        "plans_and_planning",
        "child_centred_practice",
        "management_oversight",
        "permanence",
    ]
    mo = domains["management_oversight"]
    assert mo["title"] == "Management Oversight and Supervision"
    assert mo["counts"] == {
        "outstanding": 0,
        "good": 6,
        "requires_improvement": 10,
        "inadequate": 3,
    }
    assert mo["percent"] == {
        "outstanding": 0.0,
        "good": 31.6,
        "requires_improvement": 52.6,
        "inadequate": 15.8,
    }
    assert (mo["graded"], mo["not_applicable"], mo["good_or_better_percent"]) == (19, 0, 31.6)
    assert mo["as_audited"] == {
        "outstanding": 0,
        "good": 6,
        "requires_improvement": 9,
        "inadequate": 4,
    }
    permanence = domains["permanence"]
    assert permanence["counts"] == {
        "outstanding": 1,
        "good": 7,
        "requires_improvement": 6,
        "inadequate": 2,
    }
    assert (permanence["graded"], permanence["not_applicable"]) == (16, 3)
    # 1/16 = 6.25 -> 6.3 (half away from zero; round() would give 6.2), 7/16 = 43.75 -> 43.8.
    assert permanence["percent"] == {
        "outstanding": 6.3,
        "good": 43.8,
        "requires_improvement": 37.5,
        "inadequate": 12.5,
    }
    assert permanence["good_or_better_percent"] == 50.0
    assessment = domains["assessment"]
    assert assessment["counts"] == {
        "outstanding": 1,
        "good": 6,
        "requires_improvement": 10,
        "inadequate": 2,
    }
    assert assessment["good_or_better_percent"] == 36.8
    assert domains["plans_and_planning"]["good_or_better_percent"] == 42.1


def test_agreement_between_auditors_and_moderators(audits) -> None:
    agreement = report()["agreement"]
    by = agreement["by_domain"]
    assert by["assessment"] == {
        "title": "Assessment",
        "moderated": 7,
        "agreed": 6,
        "agreed_percent": 85.7,
        "regraded_higher": 0,
        "regraded_lower": 1,
    }
    assert (by["management_oversight"]["agreed"], by["management_oversight"]["agreed_percent"]) == (
        4,
        57.1,
    )
    assert by["management_oversight"]["regraded_higher"] == 2
    assert by["management_oversight"]["regraded_lower"] == 1
    assert by["plans_and_planning"]["agreed_percent"] == 100.0
    assert agreement["overall"] == {"moderated": 7, "upheld": 3, "upheld_percent": 42.9}


def test_twelve_months_of_direction_of_travel(audits) -> None:
    months = report()["months"]
    assert [m["month"] for m in months] == [
        "2023-05",
        "2023-06",
        "2023-07",
        "2023-08",
        "2023-09",
        "2023-10",
        "2023-11",
        "2023-12",
        "2024-01",
        "2024-02",
        "2024-03",
        "2024-04",
    ]
    by_month = {m["month"]: m for m in months}
    assert by_month["2023-12"]["audits_completed"] == 0
    assert by_month["2023-12"]["good_or_better_percent"] is None
    assert by_month["2024-01"]["audits_completed"] == 1
    assert by_month["2024-01"]["final_percent"]["good"] == 100.0
    feb, mar, apr = by_month["2024-02"], by_month["2024-03"], by_month["2024-04"]
    assert feb["final"] == {"outstanding": 1, "good": 1, "requires_improvement": 3, "inadequate": 1}
    assert feb["good_or_better_percent"] == 33.3
    assert (feb["moderated"], feb["upheld"], feb["upheld_percent"]) == (3, 2, 66.7)
    assert mar["final"] == {"outstanding": 0, "good": 4, "requires_improvement": 2, "inadequate": 0}
    assert mar["final_percent"]["good"] == 66.7
    assert apr["final"] == {"outstanding": 0, "good": 1, "requires_improvement": 6, "inadequate": 0}
    assert apr["final_percent"] == {
        "outstanding": 0.0,
        "good": 14.3,
        "requires_improvement": 85.7,
        "inadequate": 0.0,
    }
    assert (apr["moderated"], apr["upheld_percent"]) == (2, 0.0)
    mo = {m["month"]: m["domains_good_or_better_percent"]["management_oversight"] for m in months}
    assert (mo["2024-01"], mo["2024-02"], mo["2024-03"], mo["2024-04"]) == (100.0, 33.3, 50.0, 14.3)
    assert mo["2023-05"] is None
    assert apr["domains_good_or_better"]["management_oversight"] == {
        "good_or_better": 1,
        "graded": 7,
    }
    assert sum(m["audits_completed"] for m in months) == 20


def test_feedback_counts_fathers_apart_and_quotes_only_with_consent(audits) -> None:
    feedback = report()["feedback"]
    assert feedback["conversations"] == 7
    assert feedback["children_and_young_people"] == 2
    assert feedback["care_experienced_adults"] == 1
    assert feedback["parents_and_carers"] == 2  # mother and foster carer; fathers apart
    assert feedback["fathers"] == 2
    assert (feedback["positive"], feedback["positive_percent"]) == (4, 57.1)
    assert (feedback["constructive"], feedback["constructive_percent"]) == (3, 42.9)
    assert feedback["consented_to_quote"] == 3
    assert (feedback["audits_with_feedback"], feedback["audits_with_feedback_percent"]) == (7, 36.8)
    assert [q["said"] for q in feedback["quotes"]] == [
        "I wish someone had explained my plan.",
        "My worker always calls back.",
        "I feel listened to now.",
    ]
    assert feedback["quotes"][0] == {
        "who": "care_experienced_adult",
        "who_label": "Care-experienced adult",
        "tone": "constructive",
        "said": "I wish someone had explained my plan.",
    }


def test_viewers_get_no_quotes(audits) -> None:
    filters = resolve_filters("2024-02", "2024-04")
    r = build_period_report(filters, ReportAccess(quotes=False, case_level=False), today=TODAY)
    assert r["feedback"]["quotes"] == []
    assert r["feedback"]["quotes_withheld"] is True
    assert r["feedback"]["consented_to_quote"] == 3
    assert "DRAFT QUOTE" not in str(r)
    assert "I feel listened to now." not in str(r)


def test_learning_themes_this_period_against_the_period_before(audits) -> None:
    themes = report()["learning_themes"]
    assert themes["period"] == {"from": "2024-02", "to": "2024-04", "audits": 19}
    assert themes["earlier_period"] == {"from": "2023-11", "to": "2024-01", "audits": 1}
    assert themes["themes"] == [
        {
            "theme": "Drift and delay",
            "count": 3,
            "percent_of_audits": 15.8,
            "earlier_count": 1,
            "earlier_percent_of_audits": 100.0,
            "change": 2,
        },
        {
            "theme": "Fathers and significant males not engaged",
            "count": 1,
            "percent_of_audits": 5.3,
            "earlier_count": 1,
            "earlier_percent_of_audits": 100.0,
            "change": 0,
        },
        {
            "theme": "Plans not SMART",
            "count": 1,
            "percent_of_audits": 5.3,
            "earlier_count": 0,
            "earlier_percent_of_audits": 0.0,
            "change": 1,
        },
    ]


def test_actions_open_overdue_done(audits) -> None:
    actions = report()["actions"]
    assert actions == {
        "total": 4,
        "done": 1,
        "open": 3,
        "overdue": 2,
        "as_of": "2024-05-20",
        "done_percent": 25.0,
        "open_percent": 75.0,
        "overdue_percent": 50.0,
    }


def test_filters_narrow_every_figure(audits) -> None:
    other = factories.audit(
        overall="outstanding", area_key="fostering", submitted_on=date(2024, 3, 1)
    )
    make.feedback(other, "child", "positive", "Fostering quote", consent=True)
    assert report()["audits_completed"] == 20
    locality = report(service_area="locality")
    assert locality["filters"] == {"service_area": "locality"}
    assert locality["audits_completed"] == 19
    assert "Fostering quote" not in str(locality)
    fostering = report(service_area="Fostering")
    assert fostering["audits_completed"] == 1
    assert fostering["few_audits"] is True
    assert fostering["overall"]["final_percent"]["outstanding"] == 100.0
    assert fostering["feedback"]["conversations"] == 1
    assert report(audit_type="closing_the_loop")["audits_completed"] == 0
    assert report(tool="qaif-2022")["audits_completed"] == 0
    assert report(tool="practice-principles-2024")["audits_completed"] == 20
    team = audits[1].team
    assert report(team=str(team.id))["audits_completed"] == 19
    assert report(team=team.name, service_area="locality")["filters"]["team"] == team.name


def test_an_empty_period_is_an_honest_empty_report(db) -> None:
    r = report(first="2031-01", last="2031-03")
    assert r["audits_completed"] == 0
    assert r["overall"]["final"] == {
        "outstanding": 0,
        "good": 0,
        "requires_improvement": 0,
        "inadequate": 0,
    }
    assert r["overall"]["final_percent"]["good"] is None
    assert r["domains"] == {}
    assert r["moderation"]["moderated"] == 0
    assert r["moderation"]["percent_moderated"] is None
    assert len(r["months"]) == 12
    assert all(m["audits_completed"] == 0 for m in r["months"])
    assert r["feedback"]["conversations"] == 0
    assert r["learning_themes"]["themes"] == []
    assert r["actions"]["total"] == 0
    assert r["actions"]["done_percent"] is None
    assert r["few_audits"] is True
