"""The audit's section pages through the test client: each domain with its prompts, saving,
submitting (incomplete or complete), a stale check or save, and bad formats."""

from __future__ import annotations

from flask.testing import FlaskClient

from qa_audit.audits import services
from qa_audit.audits.models import Audit
from qa_audit.changelog.services import history
from qa_audit.core.clock import local_today
from qa_audit.core.extensions import db
from tests.factories.audits import draft_data
from tests.functional.audit_form_pages import (
    form_data,
    fresh,
    save_all,
    submit_audit,
    summary_links,
    text_of,
)


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
