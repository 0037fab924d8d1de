"""Reference data every installation needs: service areas, teams, audit tools."""

from __future__ import annotations

from qa_audit.audit_tools.services import LoadResult, load_tools_from
from qa_audit.core.config import ROOT
from qa_audit.learning_themes.services import seed_themes
from qa_audit.organisation.services import seed_service_areas

SEED = ROOT / "seed"


def load_reference_data() -> tuple[int, list[LoadResult]]:
    """Seed service areas, teams, learning themes and audit tools (idempotent); caller commits."""
    areas = seed_service_areas(SEED / "service_areas.yaml")
    seed_themes(SEED / "learning_themes.yaml")
    tools = load_tools_from(SEED / "audit_tools")
    return areas, tools
