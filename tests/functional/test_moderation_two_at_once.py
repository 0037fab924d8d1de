"""Two moderators on one moderation at once: the second is told and loses nothing typed."""

from __future__ import annotations

from qa_audit.auth.roles import Role
from qa_audit.moderation.models import Moderation
from tests import factories
from tests.factories import moderation as mf
from tests.functional.moderation_pages import agree_form, html, sign_in


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
