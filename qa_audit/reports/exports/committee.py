"""The committee report as Word and PDF: the period's figures and what a report draft adds
to them (CommitteeContent), in the order of the council's quarterly report to its scrutiny
committee. Content None gives the figures alone, as the period report's Word download."""

from __future__ import annotations

from typing import Any

from qa_audit.reports.exports.content import (
    CommitteeContent,
    Image,
    PrincipleText,
    Quote,
    figures_only,
)
from qa_audit.reports.exports.docx import committee_document, to_docx
from qa_audit.reports.exports.pdf import committee_pdf_document

__all__ = [
    "CommitteeContent",
    "Image",
    "PrincipleText",
    "Quote",
    "committee_docx",
    "committee_pdf",
    "figures_only",
]


def committee_docx(report: dict[str, Any], content: CommitteeContent | None) -> bytes:
    """The committee report as a Word document (content None: the figures alone)."""
    if content is None:
        return to_docx(report)
    return committee_document(report, content)


def committee_pdf(report: dict[str, Any], content: CommitteeContent | None) -> bytes:
    """The committee report as PDF (content None: the figures alone)."""
    if content is None:
        return committee_pdf_document(report, figures_only(report), narrative=False)
    return committee_pdf_document(report, content)
