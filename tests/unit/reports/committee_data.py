"""The data set of the committee report's document tests: a period report built from real
audits in the test database, and a draft's content with narrative for every principle, chosen
quotes (a father's among them), a child's drawing and featured dip samples."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from PIL import Image as PillowImage

from qa_audit.report_filters import resolve_filters
from qa_audit.reports.exports.committee import CommitteeContent, Image, Quote
from qa_audit.reports.services import build_period_report
from tests import factories
from tests.factories import reports as make

COUNCIL = "Anytown & District Borough Council"
MARKING = "OFFICIAL-SENSITIVE PERSONAL"
UNSAFE = "<script>alert(1)</script> =cmd|' /C calc'!A0 bell\x07rang"
ISO_DATE = r"\d{4}-\d{2}(-\d{2})?"
QUOTES = [
    Quote("Father", "constructive", "I feel left out the loop. It's like I don't matter."),
    Quote("Child or young person", "positive", "CIN meetings are about me, so I chair them."),
    Quote("Mother", "positive", f"The social worker is amazing {UNSAFE}"),
]


def period_report(db: Any) -> dict[str, Any]:
    """February to April 2024: eight audits, one moderated, two feedback conversations."""
    grades = ["good"] * 3 + ["requires_improvement"] * 4 + ["inadequate"]
    rows = []
    for i, grade in enumerate(grades):
        na = {"permanence": "not_applicable"} if i in (0, 5) else {}
        submitted = date(2024, 2 + i % 3, 1 + i)
        rows.append(factories.audit(overall=grade, grades=na, submitted_on=submitted))
    make.moderation(rows[3], "good")
    make.feedback(rows[0], "father", "constructive", "I feel left out", consent=True)
    make.feedback(rows[1], "child", "positive", "It is about me", consent=True)
    return build_period_report(resolve_filters("2024-02", "2024-04"), today=date(2026, 12, 3))


def drawing() -> bytes:
    """A small PNG standing in for a child's drawing."""
    buffer = io.BytesIO()
    PillowImage.new("RGB", (120, 90), "#1d70b8").save(buffer, format="PNG")
    return buffer.getvalue()


def content(report: dict[str, Any]) -> CommitteeContent:
    """A draft with narrative for every principle of ``report``."""
    principles = {
        key: (
            f"- {d['title']} strength one\n- {d['title']} weakness with fathers\n\n"
            f"Paragraph about {d['title']}.",
            f"Training on {d['title']} was rolled out.\n- impact bullet for {d['title']}",
        )
        for key, d in report["domains"].items()
    }
    return CommitteeContent(
        council_name=COUNCIL,
        title="Quality Assurance and Practice Improvement",
        period_label="February to April 2024",
        introduction=f"This report gives an overview of audits.\n\n{UNSAFE}",
        principles=principles,
        feedback_narrative="Auditors spoke to children and parents.\n- a father was heard",
        quotes=QUOTES,
        images=[
            Image(
                drawing(),
                "image/png",
                "A child's drawing of her social worker, smiling",
                "Drawn by a 7-year-old girl during the auditor's visit",
                "Shared with the consent of the girl and her mother.",
            )
        ],
        dip_samples=[
            {
                "title": "Children on repeat Child Protection Plans",
                "sample_unit": "families",
                "sample_size": 5,
                "completed_on": "2024-03-28",
                "learning_themes": [],
                "actions_open": 1,
                "actions_done": 0,
            }
        ],
        protective_marking=MARKING,
    )
