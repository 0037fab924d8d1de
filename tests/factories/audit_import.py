"""Small audits CSV files for the import tests, built row by row from a valid default."""

from __future__ import annotations

import csv
import io
import itertools
from typing import Any

from bench.csv_sample import sample_header
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from tests.factories import auth

AUDITOR = "alex.auditor@example.org"
OTHER_AUDITOR = "sam.auditor@example.org"
MODERATOR = "morgan.moderator@example.org"
PRACTICE_DOMAINS = (
    "assessment",
    "plans_and_planning",
    "child_centred_practice",
    "management_oversight",
    "permanence",
)
QAIF_EXTRA_DOMAINS = ("recording_quality", "compliance_with_standards", "voice_of_the_child")
_refs = itertools.count(1)


def people() -> dict[str, User]:
    """The accounts the default rows name (no password: hashing would only slow the tests)."""
    return {
        AUDITOR: auth.user(Role.AUDITOR, email=AUDITOR, password=None),
        OTHER_AUDITOR: auth.user(Role.AUDITOR, email=OTHER_AUDITOR, password=None),
        MODERATOR: auth.user(Role.MODERATOR, email=MODERATOR, password=None),
    }


def row(**values: str) -> dict[str, str]:
    """A valid practice-principles-2024 audit graded Good throughout; ``values`` override it.

    Keyword names use ``__`` for ':' (``grade__assessment`` is the ``grade:assessment`` column)."""
    n = next(_refs)
    data = {
        "audit_ref": f"HIST-{n:05d}",
        "case_ref": f"CR{10000 + n}",
        "service_area": "locality",
        "team": "North Locality",
        "auditor_email": AUDITOR,
        "audit_type": "deep_dive",
        "tool": "practice-principles-2024",
        "submitted_on": "2024-05-10",
        "overall_grade": "Good",
        **{f"grade:{key}": "Good" for key in PRACTICE_DOMAINS},
    }
    data.update({k.replace("__", ":"): v for k, v in values.items()})
    return data


def csv_bytes(
    rows: list[dict[str, str]],
    header: list[str] | None = None,
    *,
    bom: bool = False,
    encoding: str = "utf-8",
) -> bytes:
    """The rows as a CSV file (header on line 1, each row on one line)."""
    columns = header if header is not None else sample_header()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for values in rows:
        writer.writerow([values.get(c, "") for c in columns])
    data = out.getvalue().encode(encoding)
    return b"\xef\xbb\xbf" + data if bom else data


def without(header: list[str], *names: str) -> list[str]:
    return [c for c in header if c not in names]


def count(model: Any) -> int:
    from sqlalchemy import func, select

    from qa_audit.core.extensions import db

    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)
