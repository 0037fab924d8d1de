"""A dip sample completes only with every sampled case recorded, or with the reason the
missing ones could not be reviewed (kept on the sample and in its change history)."""

from __future__ import annotations

from datetime import date

import pytest

from qa_audit.auth.roles import Role
from qa_audit.changelog.services import history
from qa_audit.core.errors import DomainError
from qa_audit.dip_samples import services as dip
from tests import factories


def sample_with(cases: int, size: int = 10):  # type: ignore[no-untyped-def]
    lead = factories.user(Role.AUDITOR)
    sample = dip.create_dip_sample(
        lead,
        title="Neglect strategy meetings",
        service_areas=[factories.service_area("locality")],
        period_from="2024-04",
        period_to="2024-04",
        sample_unit="children",
        sample_size=size,
        lead_auditors=[lead],
    )
    for n in range(cases):
        dip.record_case(lead, sample, case_ref=f"CR80{n:02d}", answers={})
    sample.strengths = "Strategy meetings were held on time."
    return lead, sample


def test_three_of_ten_cases_recorded_is_refused_naming_how_many_are_missing(db) -> None:  # type: ignore[no-untyped-def]
    lead, sample = sample_with(3)
    with pytest.raises(DomainError) as caught:
        dip.complete_dip_sample(lead, sample, date(2024, 5, 2))
    assert (caught.value.field, caught.value.message) == (
        "not_reviewed_reason",
        "7 of the 10 sampled cases are not recorded: record them, or give the reason they "
        "could not be reviewed",
    )
    assert sample.status == "in_progress"


def test_one_missing_case_is_named_in_the_singular(db) -> None:  # type: ignore[no-untyped-def]
    lead, sample = sample_with(2, size=3)
    with pytest.raises(DomainError, match=r"^1 of the 3 sampled cases is not recorded: record it"):
        dip.complete_dip_sample(lead, sample, date(2024, 5, 2), not_reviewed_reason="  ")


def test_the_missing_cases_with_a_reason_complete_and_the_reason_is_kept(db) -> None:  # type: ignore[no-untyped-def]
    lead, sample = sample_with(3)
    dip.complete_dip_sample(
        lead, sample, date(2024, 5, 2), not_reviewed_reason=" Seven  families moved away "
    )
    assert (sample.status, sample.cases_not_reviewed_reason) == (
        "completed",
        "Seven families moved away",
    )
    assert history(sample)[-1].after["cases_not_reviewed_reason"] == "Seven families moved away"


def test_every_case_recorded_completes_without_a_reason(db) -> None:  # type: ignore[no-untyped-def]
    lead, sample = sample_with(3, size=3)
    dip.complete_dip_sample(lead, sample, date(2024, 5, 2), not_reviewed_reason="Not needed")
    assert (sample.status, sample.cases_not_reviewed_reason) == ("completed", None)
