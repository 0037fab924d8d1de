"""The auditor's pages through the test client: start an audit, the audit form (save, submit,
conversations, actions, a stale save, autosave), the audit page, return to the auditor."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from flask.testing import FlaskClient

from qa_audit.audits import services
from qa_audit.audits.models import Audit
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.changelog.services import history
from qa_audit.core.clock import local_today
from qa_audit.core.extensions import db
from tests import factories
from tests.factories import rota as factories_rota
from tests.factories.audits import draft_data, started

TODAY = local_today()


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    return unescape(response.get_data(as_text=True))


def summary_links(html: str) -> list[tuple[str, str]]:
    """(href, text) of each link in the GOV.UK error summary."""
    box = html.split('class="govuk-error-summary"', 1)
    assert len(box) == 2, "no error summary on the page"
    body = box[1].split("</ul>", 1)[0]
    return [
        (href, " ".join(label.split()))
        for href, label in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', body, re.S)
    ]


def switch_to(client: FlaskClient, login_as, *roles: Role, **kwargs: object) -> User:  # type: ignore[no-untyped-def]
    client.post("/sign-out")
    return login_as(*roles, **kwargs)


def form_data(audit: Audit, op: str = "save", grade: str | None = "good", **extra: object) -> dict:
    """What the audit form posts: every domain graded ``grade`` with evidence, overall Good."""
    data: dict[str, object] = {"version": str(audit.version), "op": op}
    for row in audit.grades:
        if grade:
            data[f"{row.domain_key}-grade"] = grade
        data[f"{row.domain_key}-working_well"] = f"{row.domain_key} well"
        data[f"{row.domain_key}-needs_improvement"] = f"{row.domain_key} improve"
        data[f"{row.domain_key}-impact"] = f"{row.domain_key} impact"
    data["overall_grade"] = "good"
    data["overall_rationale"] = "The plan is working for the child"
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def sections_of(audit: Audit) -> list[str]:
    """The section pages that hold the draft's fields, in task-list order."""
    return [row.domain_key for row in audit.grades] + ["overall", "themes"]


def save_all(client: FlaskClient, audit: Audit, data: dict) -> None:
    """Post ``data`` to each section page in turn, as the auditor going down the task list."""
    for key in sections_of(audit):
        posted = {**data, "version": str(fresh(audit).version), "op": "save"}
        response = client.post(f"/audits/{audit.id}/sections/{key}", data=posted)
        assert response.status_code == 302, (key, response.status_code)


def submit_audit(client: FlaskClient, audit: Audit, data: dict | None = None):  # type: ignore[no-untyped-def]
    """Save ``data`` section by section (if given), then submit from Check your answers."""
    if data is not None:
        save_all(client, audit, data)
    return client.post(f"/audits/{audit.id}/check", data={"version": str(fresh(audit).version)})


@pytest.fixture
def auditor(login_as) -> User:  # type: ignore[no-untyped-def]
    return login_as(Role.AUDITOR, name="Alex Auditor")


@pytest.fixture
def audit(auditor: User) -> Audit:
    row = started(auditor, audit_date=TODAY - timedelta(days=3), today=TODAY)
    db.session.commit()
    return row


def fresh(audit: Audit) -> Audit:
    db.session.expire_all()
    return db.session.get(Audit, audit.id)  # type: ignore[return-value]


# --- starting ---------------------------------------------------------------------------------


def test_start_an_audit(client: FlaskClient, auditor: User) -> None:
    page = client.get("/audits/new")
    assert page.status_code == 200
    html = text_of(page)
    for label in ("Case reference", "Service area", "Team", "Audit date", "Type of audit"):
        assert label in html
    assert 'id="audit_date-day"' in html
    assert 'name="audit_type"' in html
    area = factories.service_area("assessment")
    response = client.post(
        "/audits/new",
        data={
            "case_ref": "CR4242",
            "service_area_id": str(area.id),
            "team_id": str(area.teams[0].id),
            "audit_date": [str(TODAY.day), str(TODAY.month), str(TODAY.year)],
            "audit_type": "deep_dive",
        },
    )
    assert response.status_code == 302
    audit = db.session.scalar(db.select(Audit).where(Audit.case_ref == "CR4242"))
    assert response.headers["Location"] == f"/audits/{audit.id}/edit"
    assert audit.auditor_id == auditor.id
    assert audit.audit_date == TODAY
    assert audit.service_area_id == area.id
    assert audit.status == "draft"
    edit = client.get(response.headers["Location"])
    assert f"Audit {audit.reference} has been started as a draft" in text_of(edit)


def test_start_refuses_bad_input_with_an_error_summary(client: FlaskClient, auditor: User) -> None:
    tomorrow = TODAY + timedelta(days=1)
    response = client.post(
        "/audits/new",
        data={
            "case_ref": "Jane Smith",
            "service_area_id": "",
            "team_id": "",
            "audit_date": [str(tomorrow.day), str(tomorrow.month), ""],
            "audit_type": "deep_dive",
        },
    )
    assert response.status_code == 400
    html = text_of(response)
    assert summary_links(html) == [
        (
            "#case_ref",
            "Enter the case reference from the case-management system, not the child's name",
        ),
        ("#service_area_id", "Select the service area"),
        ("#team_id", "Select the team"),
        ("#audit_date-day", "The audit date must include a year"),
    ]
    assert 'id="audit_date-day" name="audit_date"' in html  # the link's target is the Day box
    assert "<title>Error: Start an audit" in html
    assert db.session.scalar(db.select(Audit.id)) is None


def test_start_refuses_a_future_date(client: FlaskClient, auditor: User) -> None:
    area = factories.service_area()
    tomorrow = TODAY + timedelta(days=1)
    response = client.post(
        "/audits/new",
        data={
            "case_ref": "CR1",
            "service_area_id": str(area.id),
            "team_id": str(area.teams[0].id),
            "audit_date": [str(tomorrow.day), str(tomorrow.month), str(tomorrow.year)],
            "audit_type": "deep_dive",
        },
    )
    assert response.status_code == 400
    assert summary_links(text_of(response)) == [
        ("#audit_date-day", "The audit date must be today or in the past")
    ]


def test_start_page_takes_what_a_link_knows(client: FlaskClient, auditor: User) -> None:
    area = factories.service_area("fostering")
    html = text_of(
        client.get(
            f"/audits/new?case_ref=CR900&service_area_id={area.id}"
            "&audit_type=closing_the_loop&previous_audit_ref=QA-000042"
        )
    )
    assert 'value="CR900"' in html
    assert 'value="QA-000042"' in html
    assert f'<option value="{area.id}" selected>' in html
    assert 'value="closing_the_loop" checked' in html


def test_start_page_takes_what_a_rota_allocation_knows(client: FlaskClient, auditor: User) -> None:
    team = factories.service_area("fostering").teams[1]
    allocation = factories_rota.allocation(
        auditor=auditor, area_key="fostering", case_ref="CR3141", team=team
    )
    db.session.commit()
    html = text_of(client.get(f"/audits/new?allocation_id={allocation.id}"))
    assert 'value="CR3141"' in html
    assert f'<option value="{team.service_area_id}" selected>' in html
    assert f'<option value="{team.id}" selected>' in html
    assert f'name="allocation_id" type="hidden" value="{allocation.id}"' in html
    someone_elses = factories_rota.allocation(case_ref="CR2718")
    db.session.commit()
    html = text_of(client.get(f"/audits/new?allocation_id={someone_elses.id}"))
    assert "This allocation is not yours" in html
    assert 'value="CR2718"' not in html


@pytest.mark.parametrize("role", [Role.VIEWER, Role.ADMIN, Role.QA_LEAD, Role.MODERATOR])
def test_only_auditors_start_audits(client: FlaskClient, login_as, role: Role) -> None:  # type: ignore[no-untyped-def]
    login_as(role)
    assert client.get("/audits/new").status_code == 403


# --- the audit's section pages ----------------------------------------------------------------


def test_each_section_page_shows_its_domain_with_prompts_descriptors_and_na_where_allowed(
    client: FlaskClient, audit: Audit
) -> None:
    tool = audit.tool
    for domain in tool.domains:
        html = text_of(client.get(f"/audits/{audit.id}/sections/{domain.key}"))
        assert f'<h1 class="govuk-heading-l" id="section-title">{domain.title}</h1>' in html
        assert domain.guidance[0] in html
        for grade in ("outstanding", "good", "requires_improvement", "inadequate"):
            assert domain.descriptors[grade] in html
        for box in ("working_well", "needs_improvement", "impact"):
            assert f'id="{domain.key}-{box}"' in html
        na = f'name="{domain.key}-grade" type="radio" value="not_applicable"'
        assert (na in html) is domain.allows_na
        assert f'name="version" id="version" value="{audit.version}"' in html
        assert f'data-autosave-url="/audits/{audit.id}/autosave"' in html
        assert 'src="/static/audit-autosave.js"' in html
        assert 'aria-live="polite"' in html
        assert "Save and continue" in html
        assert "Save and return to task list" in html
    permanence = text_of(client.get(f"/audits/{audit.id}/sections/permanence"))
    assert 'value="not_applicable"' in permanence  # permanence allows it
    overall = text_of(client.get(f"/audits/{audit.id}/sections/overall"))
    assert tool.overall_descriptors["inadequate"] in overall
    themes = text_of(client.get(f"/audits/{audit.id}/sections/themes"))
    assert "Fathers and significant males not engaged" in themes  # learning themes
    assert client.get(f"/audits/{audit.id}/sections/nowhere").status_code == 404


def test_save_keeps_everything_typed_and_logs_it(client: FlaskClient, audit: Audit) -> None:
    theme_id = services.active_themes_for(audit)[0].id
    data = form_data(audit, grade=None, learning_themes=[str(theme_id)])
    data["assessment-grade"] = "requires_improvement"
    data["assessment-working_well"] = "Line one\r\nLine two"
    save_all(client, audit, data)
    saved = fresh(audit)
    assert saved.grade_for("assessment").grade == "requires_improvement"
    assert saved.grade_for("assessment").working_well == "Line one\nLine two"
    assert saved.grade_for("plans_and_planning").grade is None
    assert saved.grade_for("permanence").impact == "permanence impact"
    assert [t.id for t in saved.learning_themes] == [theme_id]
    entry = history(saved)[-1]
    assert entry.action == "audit.draft_saved"
    assert entry.actor_id == audit.auditor_id
    assert history(saved)[1].before["assessment.grade"] is None
    assert history(saved)[1].after["assessment.grade"] == "requires_improvement"
    response = client.post(
        f"/audits/{audit.id}/sections/assessment",
        data={**data, "version": str(saved.version), "op": "save"},
    )
    assert response.headers["Location"] == f"/audits/{audit.id}/sections/assessment"
    page = text_of(client.get(response.headers["Location"]))
    assert "Your answers have been saved" in page
    assert "Line one\nLine two</textarea>" in page
    checked = 'id="assessment-grade-3" name="assessment-grade" type="radio" value="requires_'
    assert checked + 'improvement" checked' in page


def test_submitting_incomplete_lists_every_problem_linked_to_its_field(
    client: FlaskClient, audit: Audit
) -> None:
    data = form_data(audit, overall_rationale="")
    del data["plans_and_planning-grade"]
    del data["permanence-grade"]
    data["management_oversight-grade"] = "inadequate"
    response = submit_audit(client, audit, data)
    assert response.status_code == 400
    html = text_of(response)
    links = summary_links(html)
    page = f"/audits/{audit.id}/sections"
    assert links == [
        (
            f"{page}/plans_and_planning#plans_and_planning-grade",
            "Select a grade for Plans and Planning",
        ),
        (
            f"{page}/permanence#permanence-grade",
            "Select a grade for Creating Stability and Permanence, or Not applicable",
        ),
        (f"{page}/overall#overall_rationale", "Enter the rationale for the overall grade"),
        (
            f"{page}/actions#action-description",
            "Add at least one action: a grade of Inadequate needs an action",
        ),
    ]
    for href, _ in links:  # every link has an input to land on
        path, anchor = href.split("#")
        assert f'id="{anchor}"' in text_of(client.get(path))
    assert "Submit audit" not in html
    # what was typed was saved
    saved = fresh(audit)
    assert saved.status == "draft"
    assert saved.grade_for("management_oversight").grade == "inadequate"
    assert saved.grade_for("assessment").impact == "assessment impact"


def test_submitting_a_complete_audit(client: FlaskClient, audit: Audit) -> None:
    save_all(client, audit, form_data(audit))
    check = text_of(client.get(f"/audits/{audit.id}/check"))
    assert "Check your answers before submitting the audit" in check
    assert f'href="/audits/{audit.id}/sections/assessment#assessment-grade"' in check
    assert "assessment well" in check
    response = submit_audit(client, audit)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/audits/{audit.id}"
    saved = fresh(audit)
    assert saved.status == "submitted"
    assert saved.submitted_on == local_today()
    page = text_of(client.get(f"/audits/{audit.id}"))
    assert f"Audit {audit.reference} has been submitted" in page
    assert "govuk-tag--blue" in page
    assert "Submitted" in page
    assert "Continue the audit" not in page
    # read-only now: the task list and its pages send the auditor to the audit page
    for url in (f"/audits/{audit.id}/edit", f"/audits/{audit.id}/sections/assessment"):
        again = client.get(url)
        assert again.status_code == 302
        assert again.headers["Location"] == f"/audits/{audit.id}"
    post = client.post(
        f"/audits/{audit.id}/sections/assessment", data=form_data(saved, grade="outstanding")
    )
    assert post.status_code == 302
    assert fresh(audit).grade_for("assessment").grade == "good"


def test_a_submission_on_a_stale_check_is_refused(client: FlaskClient, audit: Audit) -> None:
    save_all(client, audit, form_data(audit))
    checked_on = fresh(audit).version
    services.save_draft(audit.auditor, audit, audit.version, draft_data(audit, grade="outstanding"))
    db.session.commit()
    response = client.post(f"/audits/{audit.id}/check", data={"version": str(checked_on)})
    assert response.status_code == 409
    assert "It has not been submitted: check your answers again" in text_of(response)
    assert fresh(audit).status == "draft"


def test_a_stale_save_keeps_what_was_typed_and_says_so(client: FlaskClient, audit: Audit) -> None:
    opened = form_data(audit)
    # the same audit saved in another window
    services.save_draft(audit.auditor, audit, audit.version, draft_data(audit, grade="outstanding"))
    db.session.commit()
    current = audit.version
    opened["assessment-impact"] = "Typed in the first window"
    response = client.post(f"/audits/{audit.id}/sections/assessment", data=opened)
    assert response.status_code == 409
    html = text_of(response)
    assert "Your changes have not been saved" in html
    assert "This audit was changed in another window or by someone else" in html
    assert "Assessment: grade" in html
    assert "Assessment: impact on the child" in html
    assert "Typed in the first window</textarea>" in html
    assert f'name="version" id="version" value="{current}"' in html
    saved = fresh(audit)
    assert saved.grade_for("assessment").grade == "outstanding"
    assert saved.grade_for("assessment").impact == "assessment: impact"
    # Saving again, now on the current version, replaces it deliberately.
    opened["version"] = str(current)
    response = client.post(f"/audits/{audit.id}/sections/assessment", data=opened)
    assert response.status_code == 302
    assert fresh(audit).grade_for("assessment").impact == "Typed in the first window"


def test_bad_formats_are_refused_with_400(client: FlaskClient, audit: Audit) -> None:
    data = form_data(audit, grade=None)
    data["assessment-working_well"] = "x" * (services.TEXT_MAX + 1)
    data["assessment-grade"] = "not_applicable"
    response = client.post(f"/audits/{audit.id}/sections/assessment", data=data)
    assert response.status_code == 400
    assert summary_links(text_of(response)) == [  # in the page's order
        ("#assessment-grade", "Assessment cannot be graded Not applicable"),
        (
            "#assessment-working_well",
            "Assessment: what is working well must be 10,000 characters or fewer",
        ),
    ]
    data["assessment-working_well"] = "fine"
    response = client.post(f"/audits/{audit.id}/sections/assessment", data=data)
    assert response.status_code == 400
    assert summary_links(text_of(response)) == [
        ("#assessment-grade", "Assessment cannot be graded Not applicable")
    ]
    assert fresh(audit).grade_for("assessment").working_well == ""


def test_add_and_remove_a_feedback_conversation(client: FlaskClient, audit: Audit) -> None:
    url = f"/audits/{audit.id}/sections/feedback"
    data = {
        "version": str(audit.version),
        "op": "add_feedback",
        "feedback-who": "father",
        "feedback-how": "visit",
    }
    response = client.post(url, data=data)
    assert response.status_code == 400
    assert summary_links(text_of(response)) == [
        ("#feedback-said", "Enter what they said"),
        ("#feedback-tone", "Select whether the feedback was positive or constructive"),
    ]
    # what was typed is still there
    assert 'name="feedback-who" type="radio" value="father" checked' in text_of(response)
    data.update(
        {
            "version": str(fresh(audit).version),
            "feedback-said": "I finally feel heard",
            "feedback-tone": "positive",
            "feedback-consent": "y",
        }
    )
    response = client.post(url, data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == url
    saved = fresh(audit)
    [conversation] = saved.feedback
    assert (conversation.who, conversation.said, conversation.consent_to_quote) == (
        "father",
        "I finally feel heard",
        True,
    )
    page = text_of(client.get(url))
    assert "I finally feel heard" in page
    assert "Father" in page
    assert f'value="remove_feedback:{conversation.id}"' in page
    response = client.post(
        url, data={"version": str(saved.version), "op": f"remove_feedback:{conversation.id}"}
    )
    assert response.status_code == 302
    assert fresh(audit).feedback == []
    assert [e.action for e in history(saved)][-2:] == [
        "audit.feedback_added",
        "audit.feedback_removed",
    ]


def test_add_and_remove_an_action(client: FlaskClient, audit: Audit) -> None:
    owner = factories.user(Role.SERVICE_MANAGER, name="Olu Owner", area_key="locality")
    db.session.commit()
    url = f"/audits/{audit.id}/sections/actions"
    past = TODAY - timedelta(days=1)
    data = {
        "version": str(audit.version),
        "op": "add_action",
        "action-description": "Hold a strategy meeting",
        "action-owner_id": str(owner.id),
        "action-due_on": [str(past.day), str(past.month), str(past.year)],
    }
    response = client.post(url, data=data)
    assert response.status_code == 400
    assert summary_links(text_of(response)) == [
        ("#action-due_on-day", "The due date must be today or in the future")
    ]
    assert 'id="action-due_on-day" name="action-due_on" type="text" value="' in text_of(response)
    assert "Hold a strategy meeting</textarea>" in text_of(response)
    data["version"] = str(fresh(audit).version)
    data["action-due_on"] = ["31", "2", "2030"]
    response = client.post(url, data=data)
    assert summary_links(text_of(response)) == [
        ("#action-due_on-day", "The due date must be a real date")
    ]
    data["action-due_on"] = [str(TODAY.day), str(TODAY.month), str(TODAY.year)]
    response = client.post(url, data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == url
    [action] = fresh(audit).actions
    assert (action.description, action.owner_id, action.due_on) == (
        "Hold a strategy meeting",
        owner.id,
        TODAY,
    )
    page = text_of(client.get(url))
    assert "Hold a strategy meeting" in page
    assert "Olu Owner" in page
    response = client.post(
        url, data={"version": str(fresh(audit).version), "op": f"remove_action:{action.id}"}
    )
    assert response.status_code == 302
    assert fresh(audit).actions == []


def test_the_action_owner_is_chosen_from_active_users(client: FlaskClient, audit: Audit) -> None:
    factories.user(Role.MODERATOR, name="Gone Person", active=False)
    factories.user(Role.MODERATOR, name="Here Person")
    db.session.commit()
    page = text_of(client.get(f"/audits/{audit.id}/sections/actions"))
    owner_select = page.split('id="action-owner_id"', 1)[1].split("</select>", 1)[0]
    assert "Here Person" in owner_select
    assert "Gone Person" not in owner_select


def test_the_action_owner_is_someone_who_may_see_the_audit(
    client: FlaskClient, audit: Audit
) -> None:
    """Finding: the owner list offered every user, so a viewer could be made owner."""
    may = [
        factories.user(Role.MODERATOR, name="Mo Moderator"),
        factories.user(Role.QA_LEAD, name="Quinn Lead"),
        factories.user(Role.SERVICE_MANAGER, name="Sam Here", area_key="locality"),
    ]
    may_not = [
        factories.user(Role.VIEWER, name="Val Viewer", area_key="locality"),
        factories.user(Role.ADMIN, name="Ada Admin"),
        factories.user(Role.AUDITOR, name="Otto Other", area_key="locality"),
        factories.user(Role.SERVICE_MANAGER, name="Sam Elsewhere", area_key="fostering"),
    ]
    db.session.commit()
    page = text_of(client.get(f"/audits/{audit.id}/sections/actions"))
    owner_select = page.split('id="action-owner_id"', 1)[1].split("</select>", 1)[0]
    assert all(person.name in owner_select for person in may)
    assert not any(person.name in owner_select for person in may_not)
    viewer = may_not[0]
    data = {
        "version": str(audit.version),
        "op": "add_action",
        "action-description": "Visit the family",
        "action-owner_id": str(viewer.id),
        "action-due_on": [str(TODAY.day), str(TODAY.month), str(TODAY.year + 1)],
    }
    response = client.post(f"/audits/{audit.id}/sections/actions", data=data)
    assert response.status_code == 400
    assert fresh(audit).actions == []


# --- who may see and change an audit ----------------------------------------------------------


@pytest.mark.parametrize(
    ("roles", "area_key", "show", "edit"),
    [
        ((Role.AUDITOR,), None, 404, 404),
        ((Role.VIEWER,), None, 404, 404),
        ((Role.ADMIN,), None, 404, 404),
        ((Role.SERVICE_MANAGER,), "fostering", 404, 404),
        ((Role.SERVICE_MANAGER,), "locality", 200, 403),
        ((Role.QA_LEAD,), None, 200, 403),
        ((Role.MODERATOR,), None, 200, 403),
    ],
)
def test_who_may_see_and_change_an_audit(
    client: FlaskClient,
    login_as,
    audit: Audit,
    roles,
    area_key,
    show: int,
    edit: int,  # type: ignore[no-untyped-def]
) -> None:
    switch_to(client, login_as, *roles, area_key=area_key)
    assert client.get(f"/audits/{audit.id}").status_code == show
    assert client.get(f"/audits/{audit.id}/edit").status_code == edit
    for section in ("assessment", "overall", "actions"):
        url = f"/audits/{audit.id}/sections/{section}"
        assert client.get(url).status_code == edit
        response = client.post(url, data=form_data(audit, grade="inadequate"))
        assert response.status_code == edit
    assert client.get(f"/audits/{audit.id}/check").status_code == edit
    assert client.post(f"/audits/{audit.id}/check").status_code == edit
    autosave = client.post(f"/audits/{audit.id}/autosave", data=form_data(audit))
    assert autosave.status_code == 403
    assert autosave.is_json
    assert fresh(audit).grade_for("assessment").grade is None


def test_missing_audit_is_404(client: FlaskClient, auditor: User) -> None:
    assert client.get("/audits/999999").status_code == 404
    assert client.get("/audits/999999/edit").status_code == 404
    assert client.get("/audits/999999/sections/overall").status_code == 404
    assert client.post("/audits/999999/check").status_code == 404
    assert client.post("/audits/999999/autosave").status_code == 404


# --- autosave ---------------------------------------------------------------------------------


def test_autosave_saves_and_answers_json(client: FlaskClient, audit: Audit) -> None:
    data = form_data(audit, grade=None)
    data["child_centred_practice-impact"] = "Autosaved words"
    opened_on = audit.version
    response = client.post(
        f"/audits/{audit.id}/autosave", data=data, headers={"X-Requested-With": "XMLHttpRequest"}
    )
    assert response.status_code == 200
    reply = response.get_json()
    saved = fresh(audit)
    assert reply["version"] == saved.version == opened_on + 1
    assert reply["changed"] is True
    assert re.fullmatch(r"\d\d:\d\d", reply["saved_at_text"])
    assert reply["saved_at"].startswith(local_today().isoformat())
    assert saved.grade_for("child_centred_practice").impact == "Autosaved words"
    # the same again changes nothing and keeps the version
    data["version"] = str(reply["version"])
    again = client.post(f"/audits/{audit.id}/autosave", data=data).get_json()
    assert again["version"] == reply["version"]
    assert again["changed"] is False


def test_autosave_refuses_a_stale_version_with_409(client: FlaskClient, audit: Audit) -> None:
    data = form_data(audit)
    services.save_draft(audit.auditor, audit, audit.version, draft_data(audit, grade="outstanding"))
    db.session.commit()
    response = client.post(f"/audits/{audit.id}/autosave", data=data)
    assert response.status_code == 409
    reply = response.get_json()
    assert reply["error"] == "stale"
    assert "Reload the page" in reply["message"]
    assert fresh(audit).grade_for("assessment").grade == "outstanding"


def test_autosave_of_a_submitted_audit_is_refused(client: FlaskClient, audit: Audit) -> None:
    assert submit_audit(client, audit, form_data(audit)).status_code == 302
    response = client.post(
        f"/audits/{audit.id}/autosave", data=form_data(fresh(audit), grade="inadequate")
    )
    assert response.status_code == 409
    assert response.get_json()["error"] == "locked"
    assert fresh(audit).grade_for("assessment").grade == "good"


def test_autosave_names_bad_formats_and_saves_the_rest(client: FlaskClient, audit: Audit) -> None:
    data = form_data(audit)
    data["overall_rationale"] = "x" * (services.TEXT_MAX + 1)
    response = client.post(f"/audits/{audit.id}/autosave", data=data)
    assert response.status_code == 200
    assert response.get_json()["errors"] == {
        "overall_rationale": "Rationale for the overall grade must be 10,000 characters or fewer"
    }
    assert fresh(audit).overall_rationale == ""
    assert fresh(audit).overall_grade == "good"
    data["version"] = "not a number"
    response = client.post(f"/audits/{audit.id}/autosave", data=data)
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid"


def test_autosave_when_signed_out_redirects_to_sign_in(client: FlaskClient, audit: Audit) -> None:
    client.post("/sign-out")
    response = client.post(f"/audits/{audit.id}/autosave", data=form_data(audit))
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]
    assert fresh(audit).grade_for("assessment").grade is None


# --- the audit page, returning ----------------------------------------------------------------


def test_the_audit_page_shows_everything_and_can_be_printed(
    client: FlaskClient, audit: Audit
) -> None:
    submit_audit(client, audit, form_data(audit))
    html = text_of(client.get(f"/audits/{audit.id}"))
    for domain in audit.tool.domains:
        assert domain.title in html
        assert f"{domain.key} well" in html
        assert f"{domain.key} impact" in html
    assert "The plan is working for the child" in html
    assert re.search(r'<a href="#print" class="govuk-link app-no-print" data-app-print>', html)
    assert 'src="/static/audit-print.js"' in html
    # the change history, in plain English
    assert '<td class="govuk-table__cell">Started</td>' in html
    assert '<td class="govuk-table__cell">Submitted</td>' in html
    assert 'id="safeguarding"' in html  # the safeguarding partial
    assert "Return to the auditor" not in html  # only for the QA lead


def test_the_qa_lead_returns_an_audit_and_the_auditor_resubmits(
    client: FlaskClient, login_as, audit: Audit, auditor: User
) -> None:
    submit_audit(client, audit, form_data(audit))
    lead = switch_to(client, login_as, Role.QA_LEAD, name="Lee Lead")
    page = text_of(client.get(f"/audits/{audit.id}"))
    assert "Return to the auditor" in page
    response = client.post(f"/audits/{audit.id}/return", data={"reason": "  "})
    assert response.status_code == 400
    assert summary_links(text_of(response)) == [
        ("#reason", "Enter why the audit is being returned")
    ]
    response = client.post(f"/audits/{audit.id}/return", data={"reason": "Add the father's view"})
    assert response.status_code == 302
    saved = fresh(audit)
    assert saved.status == "returned"
    assert saved.returned_reason == "Add the father's view"
    assert history(saved)[-1].actor_id == lead.id
    page = text_of(client.get(f"/audits/{audit.id}"))
    assert "Returned to the auditor: Add the father's view" in page
    assert "govuk-tag--orange" in page

    client.post("/sign-out")
    client.post("/sign-in", data={"email": auditor.email, "password": factories.PASSWORD})
    home = text_of(client.get("/"))
    assert f'href="/audits/{audit.id}/edit">{audit.reference}</a>' in home
    assert "Returned: Add the father's view" in home
    edit = text_of(client.get(f"/audits/{audit.id}/edit"))
    assert "The QA lead returned this audit: Add the father's view" in edit
    response = submit_audit(client, audit)
    assert response.status_code == 302
    assert fresh(audit).status == "submitted"
    assert fresh(audit).returned_reason is None


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.AUDITOR])
def test_only_the_qa_lead_returns(client: FlaskClient, login_as, audit: Audit, role: Role) -> None:  # type: ignore[no-untyped-def]
    submit_audit(client, audit, form_data(audit))
    switch_to(client, login_as, role)
    assert client.post(f"/audits/{audit.id}/return", data={"reason": "No"}).status_code == 403
    assert fresh(audit).status == "submitted"


# --- home and navigation ----------------------------------------------------------------------


def test_the_auditors_home_lists_drafts_and_offers_start(client: FlaskClient, audit: Audit) -> None:
    html = text_of(client.get("/"))
    assert "My draft and returned audits (1)" in html
    assert f'<a class="govuk-link" href="/audits/{audit.id}/edit">{audit.reference}</a>' in html
    assert '<a class="govuk-link" href="/audits/new">Start an audit</a>' in html
    nav = html.split("govuk-service-navigation__list", 1)[1].split("</ul>", 1)[0]
    assert 'href="/audits/new"' in nav
    assert "Start an audit" in nav


def test_start_an_audit_is_not_in_other_roles_navigation(client: FlaskClient, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    html = text_of(client.get("/"))
    assert 'href="/audits/new"' not in html


def test_an_autosaved_draft_survives_a_session_timeout(
    client: FlaskClient, audit: Audit, auditor: User
) -> None:
    data = form_data(audit, grade=None)
    data["assessment-impact"] = "Typed just before lunch"
    assert client.post(f"/audits/{audit.id}/autosave", data=data).status_code == 200
    with client.session_transaction() as session:
        session["last_seen"] = int(session["last_seen"]) - 3 * 3600  # idle for three hours
    response = client.get(f"/audits/{audit.id}/edit")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]
    signed_out = text_of(client.get(response.headers["Location"]))
    assert "Anything you saved is kept" in signed_out
    client.post("/sign-in", data={"email": auditor.email, "password": factories.PASSWORD})
    page = text_of(client.get(f"/audits/{audit.id}/sections/assessment"))
    assert "Typed just before lunch</textarea>" in page
