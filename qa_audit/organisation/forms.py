"""The choice of a team for the parts' forms."""

from __future__ import annotations

from collections.abc import Iterable

from qa_audit.organisation.models import ServiceArea


def team_choices(areas: Iterable[ServiceArea]) -> list[tuple[str, str]]:
    """Every team of the areas, labelled with its area ("Early Help: East"); the id as text, as
    a select posts it."""
    return [(str(team.id), f"{area.name}: {team.name}") for area in areas for team in area.teams]


def team_options(areas: Iterable[ServiceArea]) -> list[tuple[str, str, str]]:
    """Every team as (its id, its area's id, its label), for the script that narrows a form's
    team list as the service area is chosen (static/teams-of-area.js)."""
    return [(value, str(a.id), label) for a in areas for value, label in team_choices([a])]


def teams_of_area(areas: Iterable[ServiceArea], area_id: int | None) -> list[tuple[str, str]]:
    """The team choices narrowed to the chosen area, or every team while none is chosen (or
    the one given is not known): the list a page without JavaScript shows."""
    areas = list(areas)
    chosen = [a for a in areas if a.id == area_id] or areas
    return team_choices(chosen)
