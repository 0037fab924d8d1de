"""Committee reports: a draft for April 2024 with the audits it reads, and images to upload."""

from __future__ import annotations

import io

from PIL import Image

from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.committee_reports import feedback, services
from qa_audit.committee_reports.models import CommitteeReport
from tests.factories.auth import user


def draft(
    lead: User | None = None, from_month: str = "2024-04", to_month: str = "2024-04"
) -> CommitteeReport:
    """A draft committee report started by a QA lead (flushed, not committed)."""
    return services.start_report(
        lead or user(Role.QA_LEAD),
        "Quality Assurance and Practice Improvement",
        from_month,
        to_month,
    )


def png(size: tuple[int, int] = (40, 30), exif: bool = False, kind: str = "PNG") -> bytes:
    """A small picture; with ``exif`` it carries a camera make and a GPS position."""
    picture = Image.new("RGB", size, (200, 120, 40))
    out = io.BytesIO()
    if exif:
        tags = Image.Exif()
        tags[0x010F] = "Phone Camera Co"  # Make
        tags[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}  # GPSInfo: latitude
        picture.save(out, format=kind, exif=tags)
    else:
        picture.save(out, format=kind)
    return out.getvalue()


def final_with_image(lead: User | None = None) -> CommitteeReport:
    """A final committee report for April 2024 with one image, not shared with viewers."""
    lead = lead or user(Role.QA_LEAD)
    report = draft(lead)
    feedback.add_image(lead, report, png(), "A child's drawing", "", "Shared with consent")
    services.finalise(lead, report, None)
    return report
