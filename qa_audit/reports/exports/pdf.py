"""The committee report as PDF, drawn by WeasyPrint from an HTML template with print CSS."""

from __future__ import annotations

from typing import Any

from qa_audit.reports.exports.content import CommitteeContent


def committee_pdf_document(report: dict[str, Any], content: CommitteeContent) -> bytes:
    """The committee report as PDF."""
    raise NotImplementedError("the PDF committee report is not built yet")
