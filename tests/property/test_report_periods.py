"""Report periods and filters as typed in a query string: a checked period, or a clear
DomainError naming the field; nothing else."""

from __future__ import annotations

import re

from hypothesis import example, given
from hypothesis import strategies as st

from qa_audit.access_log.services import check_filters
from qa_audit.core.errors import DomainError
from qa_audit.report_filters import ReportFilters, add_months, parse_month, resolve_filters
from tests.property.conftest import tally

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$", re.ASCII)
FIELDS = {"from", "to", "service_area", "team", "tool", "audit_type"}

# Text that looks like a month more often than arbitrary text does.
month_like = st.one_of(
    st.text(max_size=12),
    st.from_regex(r"\A\d{1,5}-\d{1,3}\Z"),
    st.builds(lambda y, m: f"{y}-{m:02d}", st.integers(0, 99999), st.integers(0, 99)),
    st.sampled_from(["2024-02", " 2024-04 ", "２０２４-０４", "2024-4", "24-04", "2024/04"]),
)
filter_text = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.sampled_from(["locality", "Locality", "LOCALITY ", "fostering", "deep_dive"]),
    st.sampled_from(["practice-principles-2024", "qaif-2022", "²", "٣", "99999999999999"]),
    st.integers(-(2**63), 2**63).map(str),
)


@given(month_like)
@example("２０２４-０４")  # full-width digits read as digits by \d, but are not a month
def test_a_month_is_yyyy_mm_or_a_clear_error(text: str) -> None:
    tally("report_period")
    try:
        month = parse_month(text, "from", "start")
    except DomainError as error:
        assert error.field == "from"
        assert "month" in error.message
        return
    assert MONTH.match(month)
    assert 1900 <= int(month[:4]) <= 2199
    assert month == text.strip()


@given(st.integers(1900, 2199), st.integers(1, 12), st.integers(-1200, 1200))
def test_moving_by_months_and_back_is_the_same_month(year: int, month: int, delta: int) -> None:
    tally("report_period")
    start = f"{year:04d}-{month:02d}"
    assert parse_month(start) == start
    moved = add_months(start, delta)
    assert add_months(moved, -delta) == start
    assert (moved > start) is (delta > 0) or delta == 0


@given(month_like, month_like, filter_text, filter_text, filter_text, filter_text)
@example("2024-02", "2024-04", None, "²", None, None)
@example("2024-02", "2024-04", None, "99999999999999", None, None)
@example("1900-01", "2199-12", None, None, None, None)
@example("9999-12", "9999-12", None, None, None, None)
def test_resolving_filters_gives_a_period_or_a_domain_error(
    db, first, last, service_area, team, tool, audit_type
) -> None:  # type: ignore[no-untyped-def]
    tally("report_period")
    try:
        filters = resolve_filters(
            first,
            last,
            service_area=service_area,
            team=team,
            tool=tool,
            audit_type=audit_type,
        )
    except DomainError as error:
        assert error.field in FIELDS
        assert error.message
        return
    assert isinstance(filters, ReportFilters)
    assert MONTH.match(filters.from_month)
    assert MONTH.match(filters.to_month)
    assert filters.from_month <= filters.to_month
    assert filters.months[0] == filters.from_month
    assert filters.months[-1] == filters.to_month
    assert len(filters.months) <= 120  # a longer period would take minutes to build


@given(
    filter_text,
    filter_text,
    month_like,
    st.one_of(month_like, st.from_regex(r"\A\d{1,2}/\d{1,2}/\d{1,5}\Z")),
)
def test_the_access_log_search_is_checked_or_refused(db, user, record, date_from, date_to) -> None:  # type: ignore[no-untyped-def]
    tally("access_log_search")
    try:
        filters = check_filters(user, record, date_from, date_to)
    except DomainError as error:
        assert error.field in {"date_from", "date_to"}
        assert error.message
        return
    if filters.date_from and filters.date_to:
        assert filters.date_from <= filters.date_to
