"""The audit as a GOV.UK task list: the list and each section's status, a page per section
saved on its own (Save and continue, Save and return to task list), conversations and actions
added on their pages, Check your answers before the submission, and the character count with
its limit on every long text (a box over the limit is named and the rest still saved)."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from flask.testing import FlaskClient

from qa_audit.audits.models import Audit
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.core.clock import local_today
from qa_audit.core.extensions import db
from tests import factories
from tests.factories.audits import started
from tests.factories.moderation import completed_moderation

TODAY = local_today()
LIMIT = 10_000
NAME = r'class="govuk-task-list__name-and-hint">\s*<(?:a|div)[^>]*>\s*([^<]+)'
STATUS = r'class="govuk-task-list__status[^"]*"[^>]*>\s*(?:<strong[^>]*>)?\s*([^<]+)'
COUNTED = r'data-module="govuk-character-count" data-maxlength="{limit}"[^>]*>.*?id="{box}"'


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    return unescape(response.get_data(as_text=True))


def statuses(html: str) -> dict[str, str]:
    """Each task's title and its status, as the task list shows them."""
    found = {}
    for item in re.findall(r'<li class="govuk-task-list__item.*?</li>', html, re.S):
        title = re.search(NAME, item)
        status = re.search(STATUS, item)
        assert title, item
        assert status, item
        found[" ".join(title.group(1).split())] = " ".join(status.group(1).split())
    return found


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


def test_the_task_list_shows_each_section_and_its_status(client: FlaskClient, audit: Audit) -> None:
    html = text_of(client.get(f"/audits/{audit.id}/edit"))
    found = statuses(html)
    for domain in audit.tool.domains:
        assert found[domain.title] == "Not yet started"
    assert found[audit.tool.overall_title] == "Not yet started"
    assert found["The child's and family's feedback"] == "Not yet started"
    assert found["Learning themes"] == "Not yet started"
    assert found["Actions"] == "Not yet started"
    assert found["Safeguarding concerns"] == "None raised"
    assert found["Check your answers and submit"] == "Cannot start yet"
    assert f'href="/audits/{audit.id}/check"' not in html
    assert f"You have completed 0 of {len(audit.tool.domains) + 4} sections" in html


def domain_form(audit: Audit, key: str, op: str = "continue", **extra: str) -> dict[str, str]:
    data = {
        "version": str(fresh(audit).version),
        "section": key,
        "op": op,
        f"{key}-grade": "good",
        f"{key}-working_well": f"{key} well",
        f"{key}-needs_improvement": f"{key} improve",
        f"{key}-impact": f"{key} impact",
    }
    data.update(extra)
    return data


def test_a_domain_page_saves_its_section_and_continues_to_the_next(
    client: FlaskClient, audit: Audit
) -> None:
    first, second = (d.key for d in audit.tool.domains[:2])
    page = text_of(client.get(f"/audits/{audit.id}/sections/{first}"))
    assert audit.tool.domains[0].guidance[0] in page
    # The first button, the one Enter presses, is Save and continue.
    buttons = re.findall(r'<button type="submit" value="([a-z_]+)" name="op"', page)
    assert buttons == ["continue", "return"]
    assert f'data-autosave-url="/audits/{audit.id}/autosave"' in page
    response = client.post(f"/audits/{audit.id}/sections/{first}", data=domain_form(audit, first))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/audits/{audit.id}/sections/{second}"
    saved = fresh(audit)
    assert saved.grade_for(first).grade == "good"
    assert saved.grade_for(first).impact == f"{first} impact"
    found = statuses(text_of(client.get(f"/audits/{audit.id}/edit")))
    assert found[audit.tool.domains[0].title] == "Completed"
    assert found[audit.tool.domains[1].title] == "Not yet started"

    # Text without a grade is in progress; Save and return goes back to the task list.
    typed = domain_form(audit, second, op="return")
    del typed[f"{second}-grade"]
    response = client.post(f"/audits/{audit.id}/sections/{second}", data=typed)
    assert response.headers["Location"] == f"/audits/{audit.id}/edit"
    found = statuses(text_of(client.get(f"/audits/{audit.id}/edit")))
    assert found[audit.tool.domains[1].title] == "In progress"
    # Saving one section leaves the others as they were.
    assert fresh(audit).grade_for(first).grade == "good"


def test_every_long_text_has_the_character_count_with_its_limit(
    client: FlaskClient, audit: Audit
) -> None:
    key = audit.tool.domains[0].key
    page = text_of(client.get(f"/audits/{audit.id}/sections/{key}"))
    for box in ("working_well", "needs_improvement", "impact"):
        assert re.search(COUNTED.format(limit=LIMIT, box=f"{key}-{box}"), page, re.S), box
    overall = text_of(client.get(f"/audits/{audit.id}/sections/overall"))
    assert f'data-maxlength="{LIMIT}"' in overall
    assert 'data-maxlength="5000"' in text_of(client.get(f"/audits/{audit.id}/sections/feedback"))
    assert 'data-maxlength="2000"' in text_of(client.get(f"/audits/{audit.id}/sections/actions"))


def test_an_over_long_box_is_named_and_everything_else_is_saved(
    client: FlaskClient, audit: Audit
) -> None:
    """Defect: more than 10,000 characters in one evidence box refused the whole save, and
    the message did not say which domain."""
    domain = audit.tool.domains[0]
    key = domain.key
    data = domain_form(audit, key, **{f"{key}-working_well": "x" * (LIMIT + 1)})
    response = client.post(f"/audits/{audit.id}/sections/{key}", data=data)
    assert response.status_code == 400
    html = text_of(response)
    message = f"{domain.title}: what is working well must be 10,000 characters or fewer"
    assert f'href="#{key}-working_well">{message}</a>' in html
    assert "Everything else on this page has been saved" in html
    saved = fresh(audit)
    assert saved.grade_for(key).grade == "good"
    assert saved.grade_for(key).impact == f"{key} impact"
    assert saved.grade_for(key).working_well == ""
    # Exactly the limit, typed with CR LF line ends as browsers send them, is accepted.
    at_limit = "a\r\n" * (LIMIT // 2 - 1) + "bb"
    data = domain_form(audit, key, **{f"{key}-working_well": at_limit})
    assert client.post(f"/audits/{audit.id}/sections/{key}", data=data).status_code == 302
    assert len(fresh(audit).grade_for(key).working_well) == LIMIT


def test_autosave_saves_everything_valid_and_names_the_box_refused(
    client: FlaskClient, audit: Audit
) -> None:
    """Defect: one over-long box blocked every later autosave."""
    first, second = audit.tool.domains[:2]
    data = domain_form(audit, first.key, **{f"{first.key}-impact": "y" * (LIMIT + 1)})
    data.pop("section")  # a page of every section at once, as an old tab would send
    data.update(domain_form(audit, second.key))
    data.pop("op")
    data.pop("section")
    response = client.post(f"/audits/{audit.id}/autosave", data=data)
    assert response.status_code == 200
    reply = response.get_json()
    message = f"{first.title}: impact on the child must be 10,000 characters or fewer"
    assert reply["errors"] == {f"{first.key}-impact": message}
    assert message in reply["message"]
    saved = fresh(audit)
    assert reply["version"] == saved.version
    assert saved.grade_for(first.key).grade == "good"
    assert saved.grade_for(first.key).working_well == f"{first.key} well"
    assert saved.grade_for(first.key).impact == ""
    assert saved.grade_for(second.key).impact == f"{second.key} impact"
    # A section page's autosave touches its own section only.
    one = domain_form(audit, second.key, **{f"{second.key}-impact": "changed"})
    one.pop("op")
    assert client.post(f"/audits/{audit.id}/autosave", data=one).status_code == 200
    saved = fresh(audit)
    assert saved.grade_for(second.key).impact == "changed"
    assert saved.grade_for(first.key).working_well == f"{first.key} well"


def test_a_moderated_audit_says_so_and_shows_the_final_grades_first(
    client: FlaskClient, auditor: User
) -> None:
    """Defect: after moderation the audit page still said "Submitted", with the auditor's grades
    at the top and the final grades at the bottom."""
    audit = factories.audit(auditor=auditor, case_ref="CR5151")
    first = audit.tool.domains[0]
    completed_moderation(audit, "requires_improvement", grades={first.key: "inadequate"})
    db.session.commit()
    response = client.get(f"/audits/{audit.id}")
    assert response.status_code == 200
    html = text_of(response)
    status = re.split(r">\s*Status\s*</dt>", html, maxsplit=1)[1].split("</dd>", 1)[0]
    assert "Moderated" in status
    assert "downgraded" in status
    assert "Submitted" not in status
    top = html.split('id="moderation-outcome"', 1)[0]  # above the outcome's own section
    section = top.split(f'id="domain-{first.key}"', 1)[1].split("</section>", 1)[0]
    final = section.index("Final grade (moderated):</strong> Inadequate")
    assert final < section.index("Auditor's grade:</strong> Good")
    overall = top.split('id="overall"', 1)[1].split("</section>", 1)[0]
    assert "Final grade (moderated):</strong> Requires improvement" in overall
    assert "Auditor's grade:</strong> Good" in overall
    # the auditor's grade is never lost
    assert fresh(audit).grade_for(first.key).grade == "good"
