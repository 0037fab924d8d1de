"""Service areas and teams: the seeded ones, looked up by key."""

from __future__ import annotations

from sqlalchemy import select

from qa_audit.core.extensions import db
from qa_audit.organisation.models import ServiceArea


def service_area(key: str = "locality") -> ServiceArea:
    area = db.session.scalar(select(ServiceArea).where(ServiceArea.key == key))
    assert area is not None, f"seeded service area {key} missing"
    return area
