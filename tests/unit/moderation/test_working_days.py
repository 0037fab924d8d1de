"""Working days: weekends and England and Wales bank holidays left out, counted by hand."""

from __future__ import annotations

from datetime import date

import pytest

from qa_audit.core.working_days import (
    add_working_days,
    is_bank_holiday,
    is_working_day,
    working_days_between,
)


def test_five_working_days_from_thursday_19_december_2024_skip_christmas() -> None:
    # Thu 19 Dec 2024 + 5 working days:
    #   Fri 20 (1), Sat 21 and Sun 22 weekend, Mon 23 (2), Tue 24 (3),
    #   Wed 25 Christmas Day, Thu 26 Boxing Day, Fri 27 (4), Sat 28, Sun 29, Mon 30 (5).
    assert add_working_days(date(2024, 12, 19), 5) == date(2024, 12, 30)


def test_easter_good_friday_and_easter_monday_are_skipped() -> None:
    # Thu 28 Mar 2024 + 1: Fri 29 Good Friday, Sat 30, Sun 31, Mon 1 Apr Easter Monday
    # -> Tue 2 Apr 2024.
    assert add_working_days(date(2024, 3, 28), 1) == date(2024, 4, 2)


def test_substitute_day_when_christmas_falls_on_a_sunday() -> None:
    # 25 Dec 2022 was a Sunday: Boxing Day Mon 26, substitute Christmas holiday Tue 27.
    # Fri 23 Dec 2022 + 1 -> Wed 28 Dec 2022.
    assert add_working_days(date(2022, 12, 23), 1) == date(2022, 12, 28)


def test_one_off_coronation_bank_holiday_2023() -> None:
    # Mon 8 May 2023 was the Coronation bank holiday: Fri 5 May + 1 -> Tue 9 May.
    assert is_bank_holiday(date(2023, 5, 8))
    assert add_working_days(date(2023, 5, 5), 1) == date(2023, 5, 9)


def test_scottish_only_holidays_are_working_days_in_england() -> None:
    # 2 Jan 2024 and the first Monday of August (5 Aug 2024) are Scottish bank holidays only.
    assert is_working_day(date(2024, 1, 2))
    assert add_working_days(date(2023, 12, 29), 1) == date(2024, 1, 2)  # Mon 1 Jan skipped
    assert add_working_days(date(2024, 8, 2), 1) == date(2024, 8, 5)
    # England's summer bank holiday is the last Monday of August: Fri 23 + 1 -> Tue 27.
    assert add_working_days(date(2024, 8, 23), 1) == date(2024, 8, 27)


def test_twenty_working_days_across_the_may_bank_holidays_2024() -> None:
    # Mon 15 Apr 2024 + 20: weeks of 16-19 Apr (4), 22-26 Apr (5) = 9, 29 Apr-3 May (5) = 14,
    # Mon 6 May is the early May bank holiday, 7-10 May (4) = 18, Mon 13 (19), Tue 14 (20).
    assert add_working_days(date(2024, 4, 15), 20) == date(2024, 5, 14)


def test_weekend_start_and_zero_days() -> None:
    assert add_working_days(date(2024, 6, 8), 0) == date(2024, 6, 8)  # a Saturday, unchanged
    assert add_working_days(date(2024, 6, 8), 1) == date(2024, 6, 10)  # Sat -> Mon
    assert not is_working_day(date(2024, 6, 9))
    with pytest.raises(ValueError, match="days must not be negative"):
        add_working_days(date(2024, 6, 8), -1)


def test_working_days_between_counts_the_same_way() -> None:
    assert working_days_between(date(2024, 12, 19), date(2024, 12, 30)) == 5
    assert working_days_between(date(2024, 12, 30), date(2024, 12, 19)) == -5
    assert working_days_between(date(2024, 12, 19), date(2024, 12, 19)) == 0
