"""The choice of a team for the parts' forms."""

from __future__ import annotations

from collections.abc import Iterable

from qa_audit.organisation.models import ServiceArea


def team_choices(areas: Iterable[ServiceArea]) -> list[tuple[str, str]]:
    """Every team of the areas, labelled with its area ("Early Help: East"); the id as text, as
    a select posts it."""
    return [(str(team.id), f"{area.name}: {team.name}") for area in areas for team in area.teams]
