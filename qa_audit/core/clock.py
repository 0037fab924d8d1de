"""The council's clock: every "today" and "now" in qa-audit comes from here.

Dates people see and judge by (due dates, "overdue", the month an audit counts in, the day a
moderation was completed) are the council's, in England, not the server's: between midnight
and one in the morning in British Summer Time the server's UTC date is still yesterday.
Timestamps are stored in UTC. ruff's DTZ rules keep naive dates and times out of the code."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Europe/London")


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def local_now() -> datetime:
    """Now, in the council's time zone."""
    return utcnow().astimezone(LOCAL_TZ)


def local_today() -> date:
    """Today's date in the council's time zone."""
    return local_now().date()
