"""Helpers of the audit form's page tests: a page's text and error summary, what the form
posts, saving it section by section and submitting it, and the audit read afresh."""

from __future__ import annotations

import re
from html import unescape

from flask.testing import FlaskClient

from qa_audit.audits.models import Audit
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.core.clock import local_today
from qa_audit.core.extensions import db

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


def fresh(audit: Audit) -> Audit:
    db.session.expire_all()
    return db.session.get(Audit, audit.id)  # type: ignore[return-value]
