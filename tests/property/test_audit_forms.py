"""Any form posted to the start-audit and audit pages: never a 500; a refusal is a 400 page
that says what is wrong."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient
from hypothesis import example, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from qa_audit.audit_tools.grades import Grade
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.core.extensions import db as _db
from tests import factories
from tests.factories import audits as factories_audit_journey
from tests.property.conftest import tally

DOMAIN_KEYS = [
    "assessment",
    "plans_and_planning",
    "child_centred_practice",
    "management_oversight",
    "permanence",
]
START_FIELDS = [
    "case_ref",
    "service_area_id",
    "team_id",
    "audit_date",
    "audit_type",
    "previous_audit_ref",
    "allocation_id",
]
EDIT_FIELDS = [
    "version",
    "section",
    "overall_grade",
    "overall_rationale",
    "learning_themes",
    "feedback-who",
    "feedback-how",
    "feedback-said",
    "feedback-tone",
    "feedback-consent",
    "action-description",
    "action-owner_id",
    "action-due_on",
    *(
        f"{key}-{part}"
        for key in DOMAIN_KEYS
        for part in ("grade", "working_well", "needs_improvement", "impact")
    ),
]
SECTIONS = ["assessment", "overall", "themes", "feedback", "actions"]
OPS = [
    "save",
    "continue",
    "return",
    "submit",
    "add_feedback",
    "add_action",
    "remove_feedback:1",
    "remove_action:x",
    "remove_action:99999999999999999999",
]

values = st.one_of(
    st.text(max_size=40),
    st.from_regex(r"\A[0-9]{1,25}\Z"),  # numbers, some far too big for any column
    st.integers(-3, 60).map(str),
    st.sampled_from(
        [
            "",
            "CR12345",
            "Jane Smith",
            "deep_dive",
            "closing_the_loop",
            "mother",
            "visit",
            "positive",
            "y",
            "\x00",
            "٣",
            "２０２４",
            "9" * 400,
            *(g.value for g in Grade),
        ]
    ),
)


def forms(
    fields: list[str], extra: dict[str, st.SearchStrategy[str]] | None = None
) -> st.SearchStrategy[MultiDict]:
    """Posted forms: known field names (some given more than once) and unknown ones."""
    pairs = st.lists(
        st.tuples(st.one_of(*[st.sampled_from(fields)] * 4, st.text(max_size=10)), values),
        max_size=14,
    )
    fixed = st.fixed_dictionaries({}, optional=extra or {})
    return st.builds(lambda p, f: MultiDict(p + list(f.items())), pairs, fixed)


@pytest.fixture
def auditor(login_as, db) -> Iterator[User]:  # type: ignore[no-untyped-def]
    return login_as(Role.AUDITOR, area_key="locality")


def assert_clear(response, where: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code < 500, where
    if response.status_code == 400:
        html = response.get_data(as_text=True)
        assert "govuk-error-summary" in html or "There is a problem with the request" in html, where


HUGE = "99999999999999999999"


@settings(max_examples=80)
@given(form=forms(START_FIELDS), query=forms(START_FIELDS))
@example(
    form=MultiDict([("audit_date", HUGE), ("audit_date", "1"), ("audit_date", "2024")]),
    query=MultiDict(),
)
@example(
    form=MultiDict([("allocation_id", HUGE), ("case_ref", "CR1234")]),
    query=MultiDict([("allocation_id", HUGE)]),
)
def test_starting_an_audit_never_fails(
    client: FlaskClient, auditor: User, form: MultiDict, query: MultiDict
) -> None:
    tally("start_audit_form")
    area = factories.service_area("locality")
    if "service_area_id" not in form:
        form.add("service_area_id", str(area.id))
    assert_clear(client.get("/audits/new", query_string=query), "GET /audits/new")
    assert_clear(client.post("/audits/new", data=form), "POST /audits/new")


@settings(max_examples=80)
@given(
    form=forms(EDIT_FIELDS, {"op": st.one_of(st.sampled_from(OPS), st.text(max_size=12))}),
    right_version=st.booleans(),
    section=st.sampled_from(SECTIONS),
)
def test_the_audit_form_never_fails(
    client: FlaskClient, auditor: User, form: MultiDict, right_version: bool, section: str
) -> None:
    tally("audit_form")
    audit = factories_audit_journey.started(auditor, case_ref="CR424242")
    _db.session.commit()
    if right_version:
        form.setlist("version", [str(audit.version)])
    url = f"/audits/{audit.id}/sections/{section}"
    assert_clear(client.post(url, data=form), f"POST {url}")
    check = f"/audits/{audit.id}/check"
    assert_clear(client.post(check, data=form), f"POST {check}")
    response = client.post(f"/audits/{audit.id}/autosave", data=form)
    assert response.status_code < 500
    assert response.is_json
