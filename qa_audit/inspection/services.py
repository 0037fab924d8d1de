"""Building the inspection evidence pack for a period: the records (queries.py), the
workbook (workbook.py), the summary (summary.py) and both in one ZIP file, with the record
every export leaves behind."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date

from flask import current_app

from qa_audit.access_log.exports import record_export
from qa_audit.auth.models import User
from qa_audit.core.errors import DomainError
from qa_audit.inspection import queries
from qa_audit.inspection.summary import to_summary, uk_date
from qa_audit.inspection.workbook import to_workbook
from qa_audit.report_filters import ReportFilters
from qa_audit.reports.services import build_period_report

FORMATS = {
    "zip": "application/zip",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass(frozen=True)
class PackFile:
    body: bytes
    filename: str
    mimetype: str
    case_refs: list[str]  # of the audits it lists


def check_size(filters: ReportFilters) -> int:
    """How many audits the pack lists; DomainError when more than a pack is built for."""
    count = queries.audit_count(filters)
    if count > queries.MAX_AUDITS:
        raise DomainError(
            f"This period has {count} audits; a pack lists at most {queries.MAX_AUDITS}: "
            "choose a shorter period",
            "from",
        )
    return count


def _stem(filters: ReportFilters) -> str:
    span = (
        filters.from_month
        if filters.from_month == filters.to_month
        else f"{filters.from_month}-to-{filters.to_month}"
    )
    area = f"-{filters.service_area_key}" if filters.service_area_key else ""
    return f"inspection-pack-{span}{area}"


def build_files(filters: ReportFilters, fmt: str, actor: User, today: date) -> PackFile:
    """The pack as ``fmt`` (zip: the workbook and the summary together), recorded as an
    export of case-level records by ``actor`` (the caller's transaction commits it)."""
    check_size(filters)
    pack = queries.build_pack(filters, today)
    report = build_period_report(filters, today=today)
    council = str(current_app.config.get("COUNCIL_NAME", ""))
    marking = str(current_app.config.get("PROTECTIVE_MARKING", "OFFICIAL-SENSITIVE"))
    about = [
        ("Council", council),
        ("Protective marking", marking),
        ("Period", filters.label),
        ("Service area", filters.service_area_name or "All service areas"),
        ("Prepared by", actor.name),
        ("Prepared on", uk_date(today)),
        ("Audits", len(pack.audits)),
        ("Which audits", "Submitted or closed audits, counted in the month they were submitted"),
        ("Final grade", "The moderator's where an audit was moderated, otherwise the auditor's"),
    ]
    stem = _stem(filters)
    files: dict[str, bytes] = {}
    if fmt in ("zip", "xlsx"):
        files[f"{stem}.xlsx"] = to_workbook(pack, about)
    if fmt in ("zip", "docx"):
        files[f"{stem}-summary.docx"] = to_summary(
            pack, report, council=council, marking=marking, prepared_by=actor.name
        )
    if fmt == "zip":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, body in files.items():
                archive.writestr(name, body)
        body, name = buffer.getvalue(), f"{stem}.zip"
    else:
        name, body = next(iter(files.items()))
    record_export(
        actor,
        "inspection_pack",
        file_format=fmt,
        rows=len(pack.audits),
        filters={
            "from": filters.from_month,
            "to": filters.to_month,
            "via": "page",
            **filters.as_json(),
        },
    )
    return PackFile(body, name, FORMATS[fmt], [a.case_ref for a in pack.audits])
