"""The committee report as PDF, drawn by WeasyPrint from templates/documents/committee_report
.html with print CSS: A4, the protective marking in the running header, 'Page X of Y' from CSS
page counters, the same words, tables and pictures as the Word document (committee_layout).

The template is rendered by a Jinja environment of its own with autoescape on, so any text of
the report or the draft ('<script>', '=cmd|…') is shown as text; the only resources WeasyPrint
may load are the data: URIs of the pictures we embed (no file or network access)."""

from __future__ import annotations

import base64
from functools import cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from qa_audit.core.config import TEMPLATES
from qa_audit.core.spreadsheets import cleaned
from qa_audit.reports.exports.committee_layout import (
    FEEDBACK,
    IMPACT,
    WHAT_WE_KNOW,
    Picture,
    committee_layout,
    quote_source,
)
from qa_audit.reports.exports.content import CommitteeContent
from qa_audit.reports.exports.dates import uk_date
from qa_audit.reports.exports.docx_layout import column_widths
from qa_audit.reports.exports.narrative import blocks

TEMPLATE = "documents/committee_report.html"
PANGO_MISSING = (
    "The PDF cannot be made: the server lacks the Pango text library that WeasyPrint draws "
    "with (Debian package libpango-1.0-0; make system-packages installs it)."
)
IMAGE_TYPES = ("image/png", "image/jpeg")
TABLE_POINTS = 9


class PdfUnavailable(RuntimeError):
    """The PDF engine's system library is missing; the message says what to install."""


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["blocks"] = blocks
    environment.filters["data_uri"] = _data_uri
    environment.filters["column_widths"] = _column_widths
    environment.filters["text"] = lambda value: "" if value is None else cleaned(str(value))
    return environment


def _data_uri(picture: Picture) -> str:
    # Pictures reach us checked (charts we drew, images re-encoded on upload); a type other
    # than PNG or JPEG is not embedded as anything else.
    mime = picture.mime if picture.mime in IMAGE_TYPES else "image/png"
    return f"data:{mime};base64,{base64.b64encode(picture.data).decode('ascii')}"


def _column_widths(rows: list[list[Any]]) -> list[float] | None:
    return column_widths([[str(v) for v in row] for row in rows], TABLE_POINTS)


def committee_html(
    report: dict[str, Any], content: CommitteeContent, narrative: bool = True
) -> str:
    """The committee report as the HTML the PDF is drawn from (``narrative`` False: the
    figures alone)."""
    layout = committee_layout(report, content, narrative=narrative)
    return (
        _environment()
        .get_template(TEMPLATE)
        .render(
            layout=layout,
            content=layout.content,
            created=uk_date(report["generated_on"]),
            created_iso=report["generated_on"],
            what_we_know=WHAT_WE_KNOW,
            impact=IMPACT,
            feedback_heading=FEEDBACK,
            quote_source=quote_source,
        )
    )


def committee_pdf_document(
    report: dict[str, Any], content: CommitteeContent, narrative: bool = True
) -> bytes:
    """The committee report as PDF (tagged, for screen readers)."""
    # Imported here: WeasyPrint loads Pango, a system library, as it is imported, and the
    # rest of the service (the Word document included) must work on a server without it.
    try:
        from weasyprint import HTML, URLFetcher
    except OSError as error:
        raise PdfUnavailable(PANGO_MISSING) from error
    fetcher = URLFetcher(allowed_protocols=("data",), fail_on_errors=True)
    html = committee_html(report, content, narrative)
    document = HTML(string=html, url_fetcher=fetcher)
    return bytes(document.write_pdf(pdf_tags=True))
