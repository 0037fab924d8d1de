"""Completing a dip sample on its page with cases missing: a GOV.UK error naming how many,
linked to the reason box, and completing once the reason is given."""

from __future__ import annotations

import re
from html import unescape

from qa_audit.auth.roles import Role
from qa_audit.core.extensions import db as _db
from qa_audit.dip_samples import services as dip
from tests import factories


def text(response) -> str:  # type: ignore[no-untyped-def]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


def test_a_sample_with_3_of_10_cases_does_not_complete_without_a_reason(client, login_as) -> None:  # type: ignore[no-untyped-def]
    me = login_as(Role.AUDITOR)
    sample = dip.create_dip_sample(
        me,
        title="Neglect strategy meetings",
        service_areas=[factories.service_area("locality")],
        period_from="2024-04",
        period_to="2024-04",
        sample_unit="children",
        sample_size=10,
        lead_auditors=[me],
    )
    for n in range(3):
        dip.record_case(me, sample, case_ref=f"CR81{n:02d}", answers={})
    sample.strengths = "Meetings were held on time."
    _db.session.commit()
    url = f"/dip-samples/{sample.id}"
    assert "3 of the 10 sampled cases are recorded" in text(client.get(url))

    refused = client.post(f"{url}/complete", data={"version": str(sample.version)})

    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert "There is a problem" in text(refused)
    message = (
        "7 of the 10 sampled cases are not recorded: record them, or give the reason they "
        "could not be reviewed"
    )
    assert f'<a href="#not_reviewed_reason">{message}</a>' in html
    assert 'id="not_reviewed_reason"' in html
    _db.session.refresh(sample)
    assert sample.status == "in_progress"

    done = client.post(
        f"{url}/complete",
        data={"version": str(sample.version), "not_reviewed_reason": "Seven families moved away"},
    )
    assert done.status_code == 302
    page = text(client.get(url))
    assert "The dip sample is completed" in page
    assert "Not reviewed because: Seven families moved away" in page
