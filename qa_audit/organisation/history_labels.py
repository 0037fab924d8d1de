"""How change histories name service areas and teams (qa_audit.changelog.presentation)."""

from __future__ import annotations

from collections.abc import Collection

from flask import Flask
from sqlalchemy import select

from qa_audit.changelog.presentation import describe_fields, register_names
from qa_audit.core.extensions import db
from qa_audit.organisation.models import ServiceArea, Team


def _names(model: type[ServiceArea] | type[Team], ids: Collection[int]) -> dict[int, str]:
    query = select(model.id, model.name).where(model.id.in_(ids))
    return {record_id: name for record_id, name in db.session.execute(query)}


def register(app: Flask) -> None:
    register_names(
        app,
        "service_area",
        lambda ids: _names(ServiceArea, ids),
        fields={"service_area_id": "Service area"},
    )
    register_names(app, "team", lambda ids: _names(Team, ids), fields={"team_id": "Team"})
    describe_fields(app, "service_area", "Service area")
    describe_fields(app, "team", "Team")
