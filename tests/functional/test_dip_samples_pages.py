"""The dip-sample pages through the test client: who may open and change them, setting one
up, the checklist, each case's answers, the results, the refusals, actions, completing."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from qa_audit.access_log.models import AccessLogEntry
from qa_audit.api import services as api_services
from qa_audit.auth.roles import Role
from qa_audit.core.clock import local_today
from qa_audit.core.extensions import db as _db
from qa_audit.dip_samples import services as dip
from qa_audit.dip_samples.models import DipSample
from qa_audit.learning_themes.services import list_themes
from qa_audit.report_filters import REPORT_ROLES
from tests import factories

MONTH = local_today().strftime("%Y-%m")


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def sample_for(lead, size: int = 4) -> DipSample:  # type: ignore[no-untyped-def]
    sample = dip.create_dip_sample(
        lead,
        title="Repeat child protection plans",
        service_areas=[factories.service_area("locality")],
        period_from=MONTH,
        period_to=MONTH,
        sample_unit="families",
        sample_size=size,
        lead_auditors=[lead],
    )
    _db.session.commit()
    return sample


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.QA_LEAD, 200),
        (Role.AUDITOR, 200),
        (Role.MODERATOR, 403),
        (Role.SERVICE_MANAGER, 403),
        (Role.VIEWER, 403),
        (Role.ADMIN, 403),
    ],
)
def test_who_opens_dip_samples(client, login_as, role, status) -> None:  # type: ignore[no-untyped-def]
    sample = sample_for(factories.user(Role.AUDITOR))
    login_as(role, area_key="locality")
    assert client.get("/dip-samples").status_code == status
    assert client.get(f"/dip-samples/{sample.id}").status_code == status
    assert ('href="/dip-samples"' in text_of(client.get("/"))) is (status == 200)


def test_an_auditor_sees_only_dip_samples_they_lead_or_of_their_own_area(
    app, client, login_as
) -> None:  # type: ignore[no-untyped-def]
    lead = factories.user(Role.AUDITOR, name="Lena Lead", area_key="assessment")
    sample = sample_for(lead)  # of the locality area
    question = dip.add_question(lead, sample, "Was the plan reviewed on time?")
    dip.record_case(lead, sample, case_ref="CRW7001", answers={question.id: "yes"})
    _db.session.commit()
    outsider = login_as(Role.AUDITOR, area_key="assessment")
    assert "Repeat child protection plans" not in text_of(client.get("/dip-samples"))
    for url in (
        f"/dip-samples/{sample.id}",
        f"/dip-samples/{sample.id}/edit",
        f"/dip-samples/{sample.id}/cases/new",
        f"/dip-samples/{sample.id}/cases/{sample.cases[0].id}",
    ):
        response = client.get(url)
        assert response.status_code == 404, url  # as if there were no such sample
        assert "CRW7001" not in text_of(response)
        refused = _db.session.scalars(
            select(AccessLogEntry).order_by(AccessLogEntry.id.desc()).limit(1)
        ).one()
        assert (refused.user_id, refused.action) == (outsider.id, "refused"), url
        assert refused.detail is not None
        assert refused.detail["status"] == 404
    for who, sees in (
        (factories.user(Role.AUDITOR, area_key="locality"), True),
        (lead, True),
        (factories.user(Role.SERVICE_MANAGER, area_key="locality"), True),
        (factories.user(Role.SERVICE_MANAGER, area_key="assessment"), False),
        (factories.user(Role.MODERATOR), True),
        (factories.user(Role.QA_LEAD), True),
        (factories.user(Role.VIEWER, area_key="locality"), False),
        (factories.user(Role.ADMIN, area_key="locality"), False),
        (outsider, False),
    ):
        assert dip.may_read(who, sample) is sees, who.roles
        assert (sample in dip.list_dip_samples(who)) is sees, who.roles
        if who.has_role(*REPORT_ROLES, Role.AUDITOR):  # the API's readers
            listed = api_services.list_dip_samples(who, {})["items"]
            assert (sample.id in [item["id"] for item in listed]) is sees, who.roles
    colleague = factories.user(Role.AUDITOR, area_key="locality")
    _db.session.commit()
    other = app.test_client()
    other.post("/sign-in", data={"email": colleague.email, "password": factories.PASSWORD})
    assert "CRW7001" in text_of(other.get(f"/dip-samples/{sample.id}"))
    assert "Repeat child protection plans" in text_of(other.get("/dip-samples"))


def test_set_up_record_cases_and_see_the_results(client, login_as) -> None:  # type: ignore[no-untyped-def]
    """Three families, two questions:
    Q1 yes, yes, N/A -> 2 of 2 (100.0%); Q2 yes, no, partly -> 1 of 3 (33.3%)."""
    me = login_as(Role.AUDITOR, name="Dee Dipper")
    theme = list_themes()[0]
    response = client.post(
        "/dip-samples/new",
        data={
            "title": "S47 decision making",
            "service_area_ids": [str(factories.service_area("front_door").id)],
            "period_from": MONTH,
            "period_to": MONTH,
            "sample_unit": "families",
            "sample_size": "3",
            "lead_auditor_ids": [str(me.id)],
            "learning_theme_ids": [str(theme.id)],
        },
    )
    assert response.status_code == 302
    url = response.headers["Location"]
    sample_id = int(url.rsplit("/", 1)[1])

    for text in ("Was the threshold decision recorded?", "Were the family told the outcome?"):
        assert client.post(f"{url}/questions", data={"text": text}).status_code == 302
    sample = _db.session.get(DipSample, sample_id)
    q1, q2 = (f"q{q.id}" for q in sample.questions)
    for case_ref, a1, a2 in (
        ("CR100", "yes", "yes"),
        ("CR200", "yes", "no"),
        ("CR300", "n_a", "partly"),
    ):
        response = client.post(f"{url}/cases/new", data={"case_ref": case_ref, q1: a1, q2: a2})
        assert response.status_code == 302, text_of(response)[:2000]

    page = text_of(client.get(url))
    assert "S47 decision making" in page
    assert theme.name in page
    results = page[page.index('id="checklist-results"') :]
    assert re.search(
        r"1\. Was the threshold decision recorded\?</th> <td[^>]*>2 of 2 \(100\.0%\)</td>", results
    )
    assert re.search(
        r"2\. Were the family told the outcome\?</th> <td[^>]*>1 of 3 \(33\.3%\)</td>", results
    )
    assert "Sampled cases (3 of 3)" in page
    assert "Record a sampled case" not in page  # the sample is full


def test_case_form_needs_every_answer(client, login_as) -> None:  # type: ignore[no-untyped-def]
    me = login_as(Role.AUDITOR)
    sample = sample_for(me)
    dip.add_question(me, sample, "Was the plan SMART?")
    _db.session.commit()
    response = client.post(f"/dip-samples/{sample.id}/cases/new", data={"case_ref": "CR1"})
    assert response.status_code == 400
    assert "Answer question 1: yes, partly, no or N/A" in text_of(response)


def test_recording_beyond_the_sample_size_is_refused(client, login_as) -> None:  # type: ignore[no-untyped-def]
    me = login_as(Role.AUDITOR)
    sample = sample_for(me, size=1)
    assert (
        client.post(f"/dip-samples/{sample.id}/cases/new", data={"case_ref": "CR11"}).status_code
        == 302
    )
    response = client.post(f"/dip-samples/{sample.id}/cases/new", data={"case_ref": "CR12"})
    assert response.status_code == 400
    assert (
        "The sample size is 1 and 1 cases are recorded: increase the sample size to record more"
    ) in text_of(response)


def test_editing_the_sample_size_below_the_cases_recorded_is_refused(client, login_as) -> None:  # type: ignore[no-untyped-def]
    me = login_as(Role.QA_LEAD, Role.AUDITOR)
    sample = sample_for(me, size=3)
    for ref in ("CR21", "CR22"):
        dip.record_case(me, sample, case_ref=ref, answers={})
    _db.session.commit()
    form = {
        "title": sample.title,
        "service_area_ids": [str(a.id) for a in sample.service_areas],
        "period_from": MONTH,
        "period_to": MONTH,
        "sample_unit": "families",
        "sample_size": "1",
        "lead_auditor_ids": [str(me.id)],
        "strengths": "Thresholds applied consistently.",
        "areas_for_development": "",
        "version": str(sample.version),
    }
    response = client.post(f"/dip-samples/{sample.id}/edit", data=form)
    assert response.status_code == 400
    assert (
        "The sample size cannot be smaller than the 2 cases already recorded: enter 2 or "
        "more, or remove cases first"
    ) in text_of(response)
    response = client.post(f"/dip-samples/{sample.id}/edit", data={**form, "sample_size": "2"})
    assert response.status_code == 302
    _db.session.refresh(sample)
    assert (sample.sample_size, sample.strengths) == (2, "Thresholds applied consistently.")


def test_only_lead_auditors_and_the_qa_lead_change_a_sample(client, login_as) -> None:  # type: ignore[no-untyped-def]
    sample = sample_for(factories.user(Role.AUDITOR))
    login_as(Role.AUDITOR, area_key="locality")  # sees the sample of their area
    assert client.get(f"/dip-samples/{sample.id}/edit").status_code == 403
    assert (
        client.post(f"/dip-samples/{sample.id}/questions", data={"text": "Anything?"}).status_code
        == 403
    )
    page = text_of(client.get(f"/dip-samples/{sample.id}"))
    assert "Edit details and findings" not in page
    assert "Complete dip sample" not in page


def test_actions_and_completion(client, login_as) -> None:  # type: ignore[no-untyped-def]
    me = login_as(Role.AUDITOR)
    owner = factories.user(Role.SERVICE_MANAGER, name="Olu Owner", area_key="locality")
    sample = sample_for(me)
    _db.session.commit()
    url = f"/dip-samples/{sample.id}"
    due = local_today() + timedelta(days=30)
    response = client.post(
        f"{url}/actions",
        data={
            "description": "Share the learning at the practice forum",
            "owner_id": str(owner.id),
            "due_on": [str(due.day), str(due.month), str(due.year)],
        },
    )
    assert response.status_code == 302
    page = text_of(client.get(url))
    assert "Share the learning at the practice forum" in page
    assert "Olu Owner" in page

    response = client.post(f"{url}/complete", data={"version": str(sample.version)})
    assert response.status_code == 400
    assert "Write the findings (strengths or areas for development) before completing" in (
        text_of(response)
    )
    sample.areas_for_development = "Fathers not seen in two of four families."
    _db.session.commit()
    response = client.post(
        f"{url}/complete",
        data={"version": str(sample.version), "not_reviewed_reason": "Families moved away"},
    )
    assert response.status_code == 302
    page = text_of(client.get(url))
    assert "The dip sample is completed" in page
    assert "Fathers not seen in two of four families." in page
    listed = text_of(client.get("/dip-samples"))
    assert "Completed" in listed
    assert "Repeat child protection plans" in listed
