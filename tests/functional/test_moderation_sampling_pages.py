"""The QA lead's moderation pages: adding an audit by hand and withdrawing one with reasons,
the sampling rules, and the decisions page explaining each choice."""

from __future__ import annotations

from sqlalchemy import select

from qa_audit.auth.roles import Role
from qa_audit.moderation.models import Moderation, SamplingDecision, SamplingSettings
from tests import factories
from tests.functional.moderation_pages import html, text


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
