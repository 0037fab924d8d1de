"""The report's sections drawn from the rota and the dip samples."""

from __future__ import annotations

from datetime import date

from qa_audit.actions.models import Action
from qa_audit.core.clock import utcnow
from qa_audit.dip_samples.models import DipSample
from qa_audit.learning_themes.models import LearningTheme
from qa_audit.report_filters import resolve_filters
from qa_audit.reports.services import build_period_report
from qa_audit.rota.models import Allocation
from tests import factories


def test_rota_completion_is_read(db) -> None:  # type: ignore[no-untyped-def]
    auditor = factories.user()
    area = factories.service_area("locality")
    for status in ("completed", "completed", "exempted", "allotted"):
        db.session.add(
            Allocation(
                month="2024-03",
                auditor_id=auditor.id,
                service_area_id=area.id,
                due_on=date(2024, 3, 28),
                status=status,
                completed_at=utcnow() if status == "completed" else None,
                exemption_reason="On leave" if status == "exempted" else None,
                exemption_approved_by="QA lead" if status == "exempted" else None,
            )
        )
    db.session.flush()
    rota = build_period_report(resolve_filters("2024-03", "2024-03"))["rota"]
    # 4 allotted: 2 completed of the 3 not exempted = 66.7%.
    assert (rota["allotted"], rota["completed"], rota["exempted"], rota["outstanding"]) == (
        4,
        2,
        1,
        1,
    )
    assert rota["completed_percent"] == 66.7
    assert rota["by_service_area"] == [
        {
            "service_area": area.name,
            "allotted": 4,
            "completed": 2,
            "exempted": 1,
            "outstanding": 1,
            "completed_percent": 66.7,
        }
    ]
    assert rota["by_auditor"][0]["auditor"] == auditor.name


def test_dip_samples_completed_in_the_period(db) -> None:  # type: ignore[no-untyped-def]
    lead = factories.user()
    theme = db.session.query(LearningTheme).filter_by(name="Drift and delay").one()

    def sample(title: str, completed_on: date | None, area: str = "locality") -> DipSample:
        row = DipSample(
            title=title,
            period_from="2024-01",
            period_to="2024-02",
            sample_unit="families",
            sample_size=5,
            status="completed" if completed_on else "in_progress",
            completed_on=completed_on,
            created_by_id=lead.id,
        )
        row.service_areas.append(factories.service_area(area))
        row.learning_themes.append(theme)
        db.session.add(row)
        db.session.flush()
        return row

    repeat = sample("Repeat child protection plans", date(2024, 3, 20))
    sample("Still going", None)
    sample("Completed later", date(2024, 5, 2))
    sample("Fostering sample", date(2024, 3, 5), area="fostering")
    for done in (True, False, False):
        db.session.add(
            Action(
                source="dip_sample",
                dip_sample_id=repeat.id,
                description="Share the learning",
                owner_id=lead.id,
                due_on=date(2024, 4, 30),
                status="done" if done else "open",
                completed_at=utcnow() if done else None,
            )
        )
    db.session.flush()
    report = build_period_report(resolve_filters("2024-03", "2024-03", service_area="locality"))
    assert report["sections"]["dip_samples"] == {"available": True}
    assert report["dip_samples"] == [
        {
            "title": "Repeat child protection plans",
            "sample_unit": "families",
            "sample_size": 5,
            "completed_on": "2024-03-20",
            "learning_themes": ["Drift and delay"],
            "actions_open": 2,
            "actions_done": 1,
        }
    ]
    everywhere = build_period_report(resolve_filters("2024-03", "2024-03"))
    assert [d["title"] for d in everywhere["dip_samples"]] == [
        "Fostering sample",
        "Repeat child protection plans",
    ]
