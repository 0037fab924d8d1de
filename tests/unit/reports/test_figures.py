"""Percentages, months and who may see which report."""

from __future__ import annotations

import pytest

from qa_audit.auth.roles import Role
from qa_audit.core.errors import DomainError, Forbidden
from qa_audit.report_filters import (
    ReportFilters,
    add_months,
    parse_month,
    period_label,
    report_access,
    resolve_filters,
)
from qa_audit.reports.frames import percent
from tests import factories


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (7, 19, 36.8),
        (11, 19, 57.9),
        (1, 19, 5.3),
        (19, 53, 35.8),
        (1, 16, 6.3),
        (1, 8, 12.5),
        (1, 40, 2.5),
        (3, 80, 3.8),
        (0, 5, 0.0),
        (5, 5, 100.0),
        (0, 0, None),
        (1, 11, 9.1),
    ],
)
def test_percent_is_one_decimal_half_away_from_zero(part: int, whole: int, expected) -> None:  # type: ignore[no-untyped-def]
    assert percent(part, whole) == expected


def test_banker_rounding_would_differ() -> None:
    # The reason for Decimal: 6.25 -> 6.2 with round(), 6.3 for a committee.
    assert round(6.25, 1) == 6.2
    assert percent(1, 16) == 6.3


@pytest.mark.parametrize(
    "text",
    ["2024-00", "2024-13", "24-01", "2024/01", "202401", "", " ", "2024-1", "abcd-ef", "0000-01"],
)
def test_malformed_months_are_refused(text: str) -> None:
    with pytest.raises(DomainError) as error:
        parse_month(text, "from", "start")
    assert error.value.field == "from"


def test_months_and_periods() -> None:
    assert parse_month(" 2024-02 ") == "2024-02"
    assert add_months("2024-01", -1) == "2023-12"
    assert add_months("2023-12", 13) == "2025-01"
    filters = ReportFilters("2024-02", "2024-04")
    assert filters.months == ["2024-02", "2024-03", "2024-04"]
    assert filters.trend_months[0] == "2023-05"
    assert len(filters.trend_months) == 12
    assert filters.earlier_period == ("2023-11", "2024-01")
    assert period_label("2024-02", "2024-04") == "February to April 2024"
    assert period_label("2023-11", "2024-01") == "November 2023 to January 2024"
    assert period_label("2024-04", "2024-04") == "April 2024"


def test_reversed_period_is_refused(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as error:
        resolve_filters("2024-04", "2024-02")
    assert error.value.field == "to"


def test_role_rules(db) -> None:  # type: ignore[no-untyped-def]
    filters = resolve_filters("2024-01", "2024-02", service_area="locality")
    _, access = report_access(factories.user(Role.QA_LEAD), filters)
    assert access.quotes
    assert access.forced_area_id is None
    narrowed, access = report_access(factories.user(Role.VIEWER), filters)
    assert narrowed == filters
    assert not access.quotes
    assert not access.case_level
    manager = factories.user(Role.SERVICE_MANAGER, area_key="fgc")
    forced, access = report_access(manager, filters)
    assert forced.service_area_key == "fgc"
    assert access.forced_area_id == manager.service_area_id
    # A viewer who also manages a service area: any area's aggregates, quotes for their own.
    both = factories.user(Role.SERVICE_MANAGER, Role.VIEWER, area_key="fgc")
    other, access = report_access(both, filters)
    assert other.service_area_key == "locality"
    assert not access.quotes
    own, access = report_access(both, resolve_filters("2024-01", "2024-02", service_area="fgc"))
    assert own.service_area_key == "fgc"
    assert access.quotes
    for role in (Role.ADMIN, Role.AUDITOR):
        with pytest.raises(Forbidden):
            report_access(factories.user(role), filters)
    with pytest.raises(Forbidden):
        report_access(factories.user(Role.SERVICE_MANAGER), filters)  # no service area
