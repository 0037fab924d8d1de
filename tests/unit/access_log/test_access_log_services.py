"""The access log's sentences and dates, without a request."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask

from qa_audit.access_log.hooks import describe
from qa_audit.access_log.models import AccessLogEntry
from qa_audit.access_log.services import check_filters, parse_date
from qa_audit.core.errors import DomainError


def entry(**values: object) -> AccessLogEntry:
    return AccessLogEntry(**{"entity_id": "list", "detail": None, "reference": None, **values})


@pytest.mark.parametrize(
    ("values", "sentence"),
    [
        (
            {
                "action": "viewed",
                "entity_type": "audit",
                "entity_id": "7",
                "reference": "QA-000007",
            },
            "Viewed audit QA-000007",
        ),
        (
            {"action": "viewed", "entity_type": "allocation", "entity_id": "3"},
            "Viewed rota allocation number 3",
        ),
        ({"action": "listed", "entity_type": "audit"}, "Listed audits"),
        ({"action": "refused", "entity_type": "audit"}, "Refused audits"),
        (
            {
                "action": "refused",
                "entity_type": "audit",
                "entity_id": "9",
                "reference": "QA-000009",
            },
            "Refused audit QA-000009",
        ),
        (
            {
                "action": "exported",
                "entity_type": "action",
                "entity_id": "export",
                "detail": {"format": "csv", "rows": 12},
            },
            "Exported actions (CSV, 12 rows)",
        ),
        (
            {
                "action": "exported",
                "entity_type": "audit",
                "entity_id": "QA-000001",
                "reference": "QA-000001",
                "detail": {"format": "json", "rows": 1},
            },
            "Exported audit QA-000001 (JSON, 1 row)",
        ),
    ],
)
def test_each_entry_reads_as_a_sentence(app: Flask, values: dict, sentence: str) -> None:
    # The names of records are registered by their parts, in the app.
    with app.app_context():
        assert describe(entry(**values)) == sentence


def test_dates_in_either_spelling() -> None:
    assert parse_date("2024-04-01", "date_from", "from") == date(2024, 4, 1)
    assert parse_date(" 1/4/2024 ", "date_from", "from") == date(2024, 4, 1)
    assert parse_date("", "date_from", "from") is None
    for wrong in ("2024-02-30", "31/2/2024", "１/4/2024", "yesterday", "2024-4"):
        with pytest.raises(DomainError) as refused:
            parse_date(wrong, "date_from", "from")
        assert refused.value.field == "date_from"


def test_a_search_is_tidied() -> None:
    filters = check_filters("  Ann   Smith ", " cr123 ", "2024-04-01", "2024-04-30")
    assert (filters.user, filters.record) == ("Ann Smith", "cr123")
    assert filters.as_dict() == {
        "user": "Ann Smith",
        "record": "cr123",
        "from": "2024-04-01",
        "to": "2024-04-30",
    }
    assert check_filters("", "", "", "").as_dict() == {}
