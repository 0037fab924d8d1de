"""deploy/cron/qa-audit is a well-formed /etc/cron.d file: five time fields in range, the service
account, the settings file, and every "%" escaped (cron turns a bare one into a new line)."""

from __future__ import annotations

import re

from tests.deployment.files import cron_file

RANGES = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 7)]


def field_values(field: str, low: int, high: int) -> set[int]:
    """The numbers a cron time field names: *, a, a-b, a,b and /step forms."""
    values: set[int] = set()
    for part in field.split(","):
        span, _, step = part.partition("/")
        if span == "*":
            first, last = low, high
        else:
            first_text, _, last_text = span.partition("-")
            first, last = int(first_text), int(last_text or first_text)
        values.update(range(first, last + 1, int(step or 1)))
    return values


def test_every_job_has_five_time_fields_in_range_and_runs_as_the_service_account() -> None:
    """Those shipped commented out too: they must work once a council turns them on."""
    _, jobs = cron_file(commented=True)
    assert len(jobs) > len(cron_file()[1])
    for job in jobs:
        for field, (low, high) in zip(job.schedule, RANGES, strict=True):
            assert re.fullmatch(r"[*0-9,/-]+", field), job
            values = field_values(field, low, high)
            assert values, job
            assert low <= min(values), job
            assert max(values) <= high, job
        assert job.user == "qa-audit"


def test_every_percent_sign_in_a_command_is_escaped() -> None:
    _, jobs = cron_file(commented=True)
    for job in jobs:
        assert not re.search(r"(?<!\\)%", job.command), job.command


def test_the_jobs_read_the_settings_file() -> None:
    environment, _ = cron_file()
    assert environment["QA_AUDIT_CONFIG"] == "/etc/qa-audit/qa-audit.env"
    assert environment["MAILTO"]  # a failing job's output reaches someone
