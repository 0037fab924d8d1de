"""Dip samples completed in the period, with their themes and actions."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import String, bindparam, cast, literal, null, select, union_all

from qa_audit.actions.models import Action
from qa_audit.dip_samples.models import (
    DipSample,
    dip_sample_learning_theme,
    dip_sample_service_area,
)
from qa_audit.learning_themes.models import LearningTheme
from qa_audit.report_filters import ReportFilters, add_months
from qa_audit.reports.queries.scope import Shape, count_if, run, statement, values_for


@statement
def _dip_samples_statements(shape: Shape) -> tuple[Any, Any]:
    chosen = select(DipSample.id).where(
        DipSample.status == "completed",
        DipSample.completed_on >= bindparam("first_day"),
        DipSample.completed_on < bindparam("after"),
    )
    if shape.service_area:
        chosen = chosen.where(
            DipSample.id.in_(
                select(dip_sample_service_area.c.dip_sample_id).where(
                    dip_sample_service_area.c.service_area_id == bindparam("service_area_id")
                )
            )
        )
    samples = select(
        DipSample.id,
        DipSample.title,
        DipSample.sample_unit,
        DipSample.sample_size,
        DipSample.completed_on,
    ).where(DipSample.id.in_(chosen.scalar_subquery()))
    link = dip_sample_learning_theme.c
    themes = (
        select(
            link.dip_sample_id, LearningTheme.name, LearningTheme.position, literal(0), literal(0)
        )
        .join(LearningTheme, LearningTheme.id == link.learning_theme_id)
        .where(link.dip_sample_id.in_(chosen.scalar_subquery()))
    )
    actions = (
        select(
            Action.dip_sample_id,
            cast(null(), String),
            literal(0),
            count_if(Action.status == "open"),
            count_if(Action.status == "done"),
        )
        .where(Action.dip_sample_id.in_(chosen.scalar_subquery()))
        .group_by(Action.dip_sample_id)
    )
    return samples.order_by(DipSample.completed_on, DipSample.id), union_all(themes, actions)


def dip_sample_rows(filters: ReportFilters, *, with_ids: bool = False) -> list[dict[str, Any]]:
    """Dip samples completed in the period (by completion month): title, themes, unit, sample
    size, and their actions open and done. Two statements: the samples, then their themes
    and actions. ``with_ids``: each with its record id too (for the inspection pack, which
    lists the samples' actions; the report's JSON has no ids)."""
    samples_query, details_query = _dip_samples_statements(Shape.of(filters))
    params = values_for(
        filters,
        first_day=date.fromisoformat(f"{filters.from_month}-01"),
        after=date.fromisoformat(f"{add_months(filters.to_month, 1)}-01"),
    )
    samples = {
        id_: {
            "title": title,
            "sample_unit": unit,
            "sample_size": int(size),
            "completed_on": done.isoformat() if done else None,
            "learning_themes": [],
            "actions_open": 0,
            "actions_done": 0,
        }
        for id_, title, unit, size, done in run(samples_query, params)
    }
    if not samples:
        return []
    themes: list[tuple[int, int, str]] = []
    for sample_id, theme, position, open_, done in run(details_query, params):
        if theme is not None:
            themes.append((int(position), sample_id, theme))
        else:
            samples[sample_id]["actions_open"] = int(open_ or 0)
            samples[sample_id]["actions_done"] = int(done or 0)
    for _, sample_id, theme in sorted(themes, key=lambda t: t[0]):
        samples[sample_id]["learning_themes"].append(theme)
    if with_ids:
        return [{"id": id_, **sample} for id_, sample in samples.items()]
    return list(samples.values())
