"""Moderation pages through the test client: who may see them, the queue, taking and
assigning, the moderation form and its refusals, two moderators at once, adding and
withdrawing by hand, the sampling rules and decisions."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from qa_audit.auth.roles import Role
from qa_audit.moderation.models import Moderation, SamplingDecision, SamplingSettings
from tests import factories
from tests.factories import moderation as mf

KEYS = [
    "assessment",
    "plans_and_planning",
    "child_centred_practice",
    "management_oversight",
    "permanence",
]


def html(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_data(as_text=True)


def text(response) -> str:  # type: ignore[no-untyped-def]
    """The page's text with tags and repeated white space removed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html(response))).split())


def agree_form(version: int, **extra: str) -> dict[str, str]:
    data = {
        "version": str(version),
        "overall_decision": "agree",
        "overall_rationale": "Evidence supports the grade",
        "complete": "y",
    }
    for key in KEYS:
        data[f"d_{key}_decision"] = "agree"
    data.update(extra)
    return data


def sign_in(client: FlaskClient, user) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/sign-in", data={"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("role", "queue", "agreement", "settings"),
    [
        (Role.MODERATOR, 200, 200, 403),
        (Role.QA_LEAD, 200, 200, 200),
        (Role.AUDITOR, 403, 403, 403),
        (Role.SERVICE_MANAGER, 403, 403, 403),
        (Role.VIEWER, 403, 403, 403),
        (Role.ADMIN, 403, 403, 403),
    ],
)
def test_who_may_see_the_moderation_pages(
    login_as, client, role, queue, agreement, settings
) -> None:
    login_as(role)
    assert client.get("/moderation/").status_code == queue
    # The agreement page moved to /agreement; the old address sends those who may see it there.
    assert client.get("/agreement").status_code == agreement
    old_address = client.get("/moderation/agreement")
    assert old_address.status_code == (302 if agreement == 200 else agreement)
    assert client.get("/moderation/decisions").status_code == queue
    assert client.get("/moderation/settings").status_code == settings
    assert client.get("/moderation/add").status_code == settings
    nav = html(client.get("/"))
    assert ('href="/moderation/"' in nav) is (queue == 200)
    assert ('href="/agreement"' in nav) is (agreement == 200)


def test_signed_out_is_sent_to_sign_in(client, db) -> None:
    response = client.get("/moderation/")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_the_queue_shows_priority_deadline_overdue_and_moderator(login_as, client, db) -> None:
    login_as(Role.MODERATOR)
    auditor = factories.user(Role.AUDITOR, name="Ada Auditor")
    late = mf.selected(
        factories.audit(auditor=auditor, overall="inadequate", reference="Q-LATE"),
        priority="high",
        due_on=date(2020, 1, 6),
    )
    assigned = mf.selected(
        factories.audit(reference="Q-LATER"),
        due_on=date(2099, 3, 2),
        moderator_user=mf.moderator(name="Mo Moderator"),
    )
    db.session.commit()
    page = html(client.get("/moderation/"))
    late_row = page.split(f'id="moderation-{late.id}"')[1].split("</tr>")[0]
    assert "Q-LATE" in late_row
    assert "High" in late_row
    assert "6 January 2020" in late_row
    assert "Overdue" in late_row
    assert "Unassigned" in late_row
    assert "Ada Auditor" in late_row
    assert 'aria-label="Take audit Q-LATE"' in late_row
    later_row = page.split(f'id="moderation-{assigned.id}"')[1].split("</tr>")[0]
    assert "2 March 2099" in later_row
    assert "Mo Moderator" in later_row
    assert "Overdue" not in later_row
    assert "Take audit" not in later_row
    assert page.index("Q-LATE") < page.index("Q-LATER")


def test_a_moderator_takes_one_but_not_their_own(login_as, client, db) -> None:
    me = login_as(Role.MODERATOR, Role.AUDITOR, name="Sam Both")
    other = mf.selected(factories.audit(reference="Q-OTHER"))
    mine = mf.selected(factories.audit(auditor=me, reference="Q-MINE"))
    db.session.commit()
    page = html(client.get("/moderation/"))
    assert "Your own audit" in page.split(f'id="moderation-{mine.id}"')[1].split("</tr>")[0]
    response = client.post(f"/moderation/{other.id}/take", follow_redirects=True)
    assert "You have taken audit Q-OTHER" in html(response)
    response = client.post(f"/moderation/{mine.id}/take", follow_redirects=True)
    assert "you are its auditor. No one moderates their own audit" in html(response)
    db.session.expire_all()
    assert db.session.get(Moderation, other.id).moderator_id == me.id
    assert db.session.get(Moderation, mine.id).moderator_id is None


def test_the_qa_lead_assigns_to_a_moderator(login_as, client, db) -> None:
    login_as(Role.QA_LEAD)
    auditor_moderator = factories.user(Role.AUDITOR, Role.MODERATOR, name="Ann Both")
    moderator = mf.moderator(name="Mo Moderator")
    moderation = mf.selected(factories.audit(auditor=auditor_moderator))
    db.session.commit()
    page = html(client.get("/moderation/"))
    assert f'name="m{moderation.id}-moderator_id"' in page
    response = client.post(
        f"/moderation/{moderation.id}/assign",
        data={f"m{moderation.id}-moderator_id": str(auditor_moderator.id)},
        follow_redirects=True,
    )
    assert "Ann Both is the auditor of audit" in html(response)
    response = client.post(
        f"/moderation/{moderation.id}/assign",
        data={f"m{moderation.id}-moderator_id": str(moderator.id)},
        follow_redirects=True,
    )
    assert "is assigned to Mo Moderator" in html(response)
    db.session.expire_all()
    assert db.session.get(Moderation, moderation.id).moderator_id == moderator.id


def test_the_form_shows_the_auditors_judgement_beside_agree_or_regrade(
    login_as, client, db
) -> None:
    login_as(Role.MODERATOR)
    audit = factories.audit(reference="Q-FORM")
    audit.grades[0].working_well = "Thorough chronology"
    moderation = mf.selected(audit)
    db.session.commit()
    response = client.get(f"/moderation/{moderation.id}")
    page = html(response)
    assert response.status_code == 200
    assert "Thorough chronology" in page
    assert "The auditor's judgement" in text(response)
    assert 'name="d_assessment_decision"' in page
    assert 'value="regrade"' in page
    assert 'name="d_assessment_grade"' in page
    assert 'name="d_assessment_rationale"' in page
    assert 'name="version" value="1"' in page
    assert "Complete moderation" in page
    assert "Save and come back later" in page


def test_a_regrade_completes_with_the_outcome_and_the_auditors_grades_stay(
    login_as, client, db
) -> None:
    login_as(Role.MODERATOR, name="Mo Moderator")
    audit = factories.audit(reference="Q-DOWN", overall="good")
    moderation = mf.selected(audit)
    db.session.commit()
    data = agree_form(
        1,
        d_assessment_decision="regrade",
        d_assessment_grade="requires_improvement",
        d_assessment_rationale="No analysis of the father's role",
        overall_decision="regrade",
        overall_grade="requires_improvement",
    )
    response = client.post(f"/moderation/{moderation.id}", data=data)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/moderation/")
    db.session.expire_all()
    stored = db.session.get(Moderation, moderation.id)
    assert (stored.status, stored.outcome, stored.overall_grade) == (
        "completed",
        "downgraded",
        "requires_improvement",
    )
    assert stored.grade_for("assessment").rationale == "No analysis of the father's role"
    assert stored.audit.overall_grade == "good"
    assert {g.grade for g in stored.audit.grades} == {"good"}
    page = text(client.get(f"/moderation/{moderation.id}"))
    assert "Moderation outcome" in page
    assert "Downgraded" in page
    assert "No analysis of the father's role" in page


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            {"d_assessment_decision": "regrade", "d_assessment_grade": "outstanding"},
            "Give your rationale for regrading Assessment",
        ),
        ({"overall_rationale": ""}, "Give your rationale for the overall grade"),
        ({"d_permanence_decision": ""}, "Choose Agree or Regrade for Creating Stability"),
        (
            {"d_assessment_decision": "regrade", "d_assessment_rationale": "Why"},
            "Choose the new grade for Assessment",
        ),
    ],
)
def test_bad_forms_are_refused_with_clear_messages(login_as, client, db, extra, message) -> None:
    login_as(Role.MODERATOR)
    moderation = mf.selected(factories.audit())
    db.session.commit()
    response = client.post(f"/moderation/{moderation.id}", data=agree_form(1, **extra))
    assert response.status_code == 400
    page = html(response)
    assert "There is a problem" in page
    assert message in page
    db.session.expire_all()
    stored = db.session.get(Moderation, moderation.id)
    assert stored.status == "selected"
    assert stored.version == 1
    assert stored.grades == []


def test_own_audit_is_refused_with_a_clear_message(login_as, client, db) -> None:
    me = login_as(Role.MODERATOR, Role.AUDITOR)
    moderation = mf.selected(factories.audit(auditor=me, reference="Q-OWN"))
    db.session.commit()
    page = html(client.get(f"/moderation/{moderation.id}"))
    assert "You cannot moderate audit Q-OWN: you are its auditor" in page
    assert 'name="d_assessment_decision"' not in page
    response = client.post(f"/moderation/{moderation.id}", data=agree_form(1))
    assert response.status_code == 400
    assert "you are its auditor" in html(response)
    db.session.expire_all()
    assert db.session.get(Moderation, moderation.id).status == "selected"


def test_an_audit_not_selected_is_refused(login_as, client, db) -> None:
    login_as(Role.MODERATOR)
    audit = factories.audit(reference="Q-NONE")
    db.session.commit()
    response = client.get(f"/moderation/audit/{audit.id}")
    assert response.status_code == 404
    assert "Audit Q-NONE has not been selected for moderation" in html(response)
    moderation = mf.selected(factories.audit())
    db.session.commit()
    response = client.get(f"/moderation/audit/{moderation.audit_id}")
    assert response.headers["Location"].endswith(f"/moderation/{moderation.id}")
    assert client.get("/moderation/999999").status_code == 404


def test_a_completed_or_withdrawn_moderation_is_refused(login_as, client, db) -> None:
    login_as(Role.MODERATOR)
    done_audit = factories.audit()
    done = mf.completed(done_audit, moderator_user=mf.moderator(name="First Mod"), overall="good")
    withdrawn = mf.selected(factories.audit())
    withdrawn.status = "withdrawn"
    withdrawn.withdrawn_reason = "Duplicate"
    db.session.commit()
    response = client.post(f"/moderation/{done.id}", data=agree_form(1))
    assert response.status_code == 400
    assert "already been moderated by First Mod" in html(response)
    assert "What has been saved" in html(response)
    response = client.post(f"/moderation/{withdrawn.id}", data=agree_form(1))
    assert response.status_code == 400
    assert "withdrawn from moderation: Duplicate" in html(response)


def test_two_moderators_at_once_the_second_is_told_and_loses_nothing(
    app, login_as, client, db
) -> None:
    first = login_as(Role.MODERATOR, name="First Moderator")
    second = mf.moderator(name="Second Moderator")
    moderation = mf.selected(factories.audit(reference="Q-RACE"))
    db.session.commit()
    other = app.test_client()
    sign_in(other, second)
    url = f"/moderation/{moderation.id}"
    # Both open the form at version 1.
    assert 'name="version" value="1"' in html(client.get(url))
    assert 'name="version" value="1"' in html(other.get(url))
    # The first saves their judgements so far.
    first_data = {
        "version": "1",
        "save": "y",
        "d_assessment_decision": "regrade",
        "d_assessment_grade": "requires_improvement",
        "d_assessment_rationale": "Risk not analysed",
    }
    assert client.post(url, data=first_data).status_code == 302
    # The second saves from version 1: refused, shown what the first decided, entries kept.
    second_data = agree_form(
        1,
        d_assessment_decision="regrade",
        d_assessment_grade="outstanding",
        d_assessment_rationale="Exceptional direct work",
    )
    response = other.post(url, data=second_data)
    assert response.status_code == 400
    page = html(response)
    assert "Someone else saved this moderation while you had it open" in page
    assert "First Moderator saved progress" in page
    assert (
        "Assessment: regraded from Good to Requires improvement to be good – “Risk not analysed”"
    ) in page
    assert "Exceptional direct work" in page  # the second's own entry is still in the form
    assert 'name="version" value="2"' in page
    db.session.expire_all()
    stored = db.session.get(Moderation, moderation.id)
    assert stored.version == 2
    assert stored.grade_for("assessment").grade == "requires_improvement"
    assert stored.moderator_id == first.id
    # Having seen it, the second saves again from the fresh version: the first has the
    # moderation now, so the second is refused until the QA lead reassigns it.
    response = other.post(url, data={**second_data, "version": "2"})
    assert response.status_code == 400
    assert "assigned to First Moderator: ask the QA lead to reassign it" in html(response)
    db.session.expire_all()
    assert db.session.get(Moderation, moderation.id).version == 2
    lead = factories.user(Role.QA_LEAD, name="Quinn Lead")
    db.session.commit()
    lead_client = app.test_client()
    sign_in(lead_client, lead)
    response = lead_client.post(
        f"{url}/assign", data={f"m{moderation.id}-moderator_id": str(second.id)}
    )
    assert response.status_code == 302
    response = other.post(url, data={**second_data, "version": "3"})
    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.get(Moderation, moderation.id)
    assert (stored.status, stored.moderator_id) == ("completed", second.id)
    assert stored.grade_for("assessment").grade == "outstanding"
    from qa_audit.changelog.services import history

    saved, assigned, completed = history(stored)
    assert saved.actor_id == first.id
    assert (assigned.action, assigned.actor_id) == ("moderation.assigned", lead.id)
    assert saved.after["grades"]["assessment"] == ["requires_improvement", "Risk not analysed"]
    assert completed.actor_id == second.id


def test_the_qa_lead_adds_by_hand_and_withdraws_with_reasons(login_as, client, db) -> None:
    login_as(Role.QA_LEAD, name="Quinn Lead")
    audit = factories.audit(reference="Q-HAND")
    db.session.commit()
    response = client.post("/moderation/add", data={"reference": "NO-SUCH", "reason": "R"})
    assert response.status_code == 400
    assert "No audit has this reference" in html(response)
    response = client.post("/moderation/add", data={"reference": "Q-HAND", "reason": ""})
    assert response.status_code == 400
    assert "Give the reason for adding this audit" in html(response)
    response = client.post(
        "/moderation/add", data={"reference": "Q-HAND", "reason": "Concern from a parent"}
    )
    assert response.status_code == 302
    moderation = db.session.scalar(select(Moderation).where(Moderation.audit_id == audit.id))
    assert moderation.selection_reason == "Added by hand by Quinn Lead: Concern from a parent"
    url = f"/moderation/{moderation.id}/withdraw"
    assert client.get(url).status_code == 200
    response = client.post(url, data={"reason": "  "})
    assert response.status_code == 400
    response = client.post(url, data={"reason": "Case closed"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Moderation, moderation.id).status == "withdrawn"
    page = text(client.get("/moderation/decisions"))
    assert "Withdrawn by hand by Quinn Lead: Case closed" in page
    assert "Added by hand by Quinn Lead: Concern from a parent" in page


def test_the_qa_lead_sets_the_sampling_rules(login_as, client, db) -> None:
    login_as(Role.QA_LEAD)
    page = html(client.get("/moderation/settings"))
    assert 'name="rate_good" type="text" value="50"' in page or 'value="50"' in page
    version = db.session.get(SamplingSettings, 1).version
    data = {
        "version": str(version),
        "rate_outstanding": "40",
        "rate_good": "30",
        "rate_requires_improvement": "25",
        "inadequate_deadline_days": "3",
        "normal_deadline_days": "15",
        "reflective_deadline_days": "8",
    }
    bad = client.post("/moderation/settings", data={**data, "rate_good": "150"})
    assert bad.status_code == 400
    assert "Enter a percentage from 0 to 100" in html(bad)
    assert client.post("/moderation/settings", data=data).status_code == 302
    db.session.expire_all()
    rules = db.session.get(SamplingSettings, 1)
    assert (rules.rate_outstanding, rules.rate_good, rules.rate_requires_improvement) == (
        0.4,
        0.3,
        0.25,
    )
    assert (
        rules.inadequate_deadline_days,
        rules.normal_deadline_days,
        rules.reflective_deadline_days,
    ) == (3, 15, 8)
    stale = client.post("/moderation/settings", data=data)
    assert stale.status_code == 400
    assert "Someone else changed the sampling rules" in html(stale)


def test_decisions_page_explains_each_choice(login_as, client, db) -> None:
    login_as(Role.MODERATOR)
    audit = factories.audit(reference="Q-DEC")
    db.session.add(
        SamplingDecision(
            audit_id=audit.id,
            grade="good",
            rate=0.5,
            draw=0.731,
            selected=False,
            reason="Good: draw 0.731 ≥ rate 0.50, not selected",
        )
    )
    db.session.commit()
    page = text(client.get("/moderation/decisions"))
    assert "Q-DEC" in page
    assert "Good: draw 0.731 ≥ rate 0.50, not selected" in page
    assert "The sampling rule" in page
