"""An action done by a practitioner who is not a user ("the child's social worker", by role,
with a name if given), owned by a user who may see the audit and is responsible for it."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import pytest

from qa_audit.actions import services
from qa_audit.audits.services import audit_actions
from qa_audit.auth.roles import Role
from qa_audit.changelog.services import history
from qa_audit.core.errors import DomainError
from tests import factories

TODAY = date(2024, 6, 10)


def text(response) -> str:  # type: ignore[no-untyped-def]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


def set_on_audit(owner, **practitioner):  # type: ignore[no-untyped-def]
    return services.add_action(
        None,
        source="audit",
        description="Update the child's plan",
        owner_id=owner.id,
        due_on=date(2024, 7, 1),
        audit_id=factories.audit(auditor=owner).id,
        today=TODAY,
        **practitioner,
    )


def test_a_practitioner_by_role_and_name_with_a_responsible_owner(db) -> None:  # type: ignore[no-untyped-def]
    owner = factories.user(Role.AUDITOR, name="Rita Responsible")
    action = set_on_audit(owner, practitioner_role="social_worker", practitioner_name="  Sam Lee ")
    assert action.owner_id == owner.id
    assert (action.practitioner_role, action.practitioner_name) == ("social_worker", "Sam Lee")
    assert action.practitioner == "The child's social worker (Sam Lee)"
    assert history(action)[0].after["practitioner_role"] == "social_worker"
    by_role_alone = set_on_audit(owner, practitioner_role="reviewing_officer")
    assert by_role_alone.practitioner == "The independent reviewing officer"
    assert set_on_audit(owner).practitioner == ""


@pytest.mark.parametrize(
    ("practitioner", "message"),
    [
        ({"practitioner_name": "Sam Lee"}, "Select the practitioner's role"),
        ({"practitioner_role": "head_teacher"}, "Select the practitioner's role"),
        ({"practitioner_role": "other"}, "Enter the practitioner's name"),
        (
            {"practitioner_role": "social_worker", "practitioner_name": "x" * 121},
            "120 characters or fewer",
        ),
    ],
)
def test_a_practitioner_is_refused_without_a_known_role_or_a_needed_name(
    db, practitioner, message
) -> None:  # type: ignore[no-untyped-def]
    owner = factories.user(Role.AUDITOR)
    with pytest.raises(DomainError, match=message) as caught:
        set_on_audit(owner, **practitioner)
    assert caught.value.field in ("practitioner_role", "practitioner_name")


def test_the_audit_passes_the_practitioner_on(db) -> None:  # type: ignore[no-untyped-def]
    auditor = factories.user(Role.AUDITOR)
    audit = factories.audit(auditor=auditor, status="draft", overall=None)
    action = audit_actions.add_action(
        auditor,
        audit,
        "Visit the child",
        auditor.id,
        date(2024, 7, 1),
        today=TODAY,
        practitioner_role="social_worker",
    )
    assert action.practitioner == "The child's social worker"
    with pytest.raises(DomainError) as caught:
        audit_actions.add_action(
            auditor,
            audit,
            "Visit",
            auditor.id,
            date(2024, 7, 1),
            today=TODAY,
            practitioner_name="Nobody",
        )
    assert caught.value.field == "action-practitioner_role"


def test_my_actions_and_the_centre_say_who_does_it(login_as, client, db) -> None:  # type: ignore[no-untyped-def]
    me = login_as(Role.AUDITOR, Role.QA_LEAD, name="Rita Responsible")
    set_on_audit(me, practitioner_role="social_worker", practitioner_name="Sam Lee")
    db.session.commit()
    mine = text(client.get("/my-actions"))
    assert "Done by the child's social worker (Sam Lee); you are responsible" in mine
    centre = text(client.get("/actions"))
    assert "Rita Responsible, responsible for the child's social worker (Sam Lee)" in centre


def test_the_fields_other_forms_include_render_and_hand_on_their_data(app) -> None:  # type: ignore[no-untyped-def]
    from flask import render_template_string
    from flask_wtf import FlaskForm

    from qa_audit.actions.form_fields import practitioner_name_field, practitioner_role_field

    class Form(FlaskForm):
        role = practitioner_role_field()
        name = practitioner_name_field()

    with app.test_request_context(method="POST", data={"role": "social_worker", "name": "Sam Lee"}):
        form = Form()
        assert form.validate()
        assert services.practitioner(form.role.data, form.name.data) == (
            "social_worker",
            "Sam Lee",
        )
        page = render_template_string(
            '{% from "actions/_practitioner_fields.html" import practitioner_fields %}'
            "{{ practitioner_fields(form.role, form.name) }}",
            form=form,
        )
    assert "The child&#39;s social worker" in page
    assert "No, the owner does it" in page
    assert 'value="Sam Lee"' in page
