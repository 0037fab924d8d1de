"""The committee report as PDF, drawn by WeasyPrint and opened with pypdf: its text holds the
headings, the quotes, the marking in the running header and 'Page 1 of N' in the footer,
UK dates only, the pictures, the council as author, and unsafe text shown as text."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from pypdf import PdfReader

from qa_audit.reports.exports.committee import committee_pdf
from qa_audit.reports.exports.pdf import committee_html
from tests.unit.reports.committee_data import (
    COUNCIL,
    ISO_DATE,
    MARKING,
    QUOTES,
    content,
    period_report,
)


@pytest.fixture
def report(db) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return period_report(db)


def _text(reader: PdfReader) -> str:
    # pypdf breaks lines where the PDF does; words are what the tests look for.
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_the_pdf_holds_the_report_in_order_with_marking_and_page_numbers(report) -> None:  # type: ignore[no-untyped-def]
    reader = PdfReader(io.BytesIO(committee_pdf(report, content(report))))
    pages = len(reader.pages)
    assert pages > 2
    first = " ".join(reader.pages[0].extract_text().split())
    assert MARKING in first
    assert f"Page 1 of {pages}" in first
    last = " ".join(reader.pages[-1].extract_text().split())
    assert MARKING in last
    assert f"Page {pages} of {pages}" in last
    text = _text(reader)
    headings = [
        "Introduction",
        "Audit judgements: the last 12 months (May 2023 to April 2024)",
        "Recent audit activity: February to April 2024",
        "Practice principles",
        *[d["title"] for d in report["domains"].values()],
        "What children and their families are telling us",
        "Thematic dip sample audits completed",
        "The figures in full",
    ]
    positions = [text.find(h) for h in headings]
    assert -1 not in positions, dict(zip(headings, positions, strict=True))
    assert positions == sorted(positions)
    assert text.count("What do we know?") == len(report["domains"])
    for quote in QUOTES[:2]:
        assert quote.said in text
    assert "Father, constructive feedback" in text
    assert "Children on repeat Child Protection Plans: 5 families sampled" in text
    assert "28 March 2024" in text
    assert "Generated on 3 December 2026." in text
    assert re.search(ISO_DATE, text) is None, re.search(ISO_DATE, text)
    # Two direction-of-travel charts, five pies and the child's drawing.
    # (WeasyPrint shares one resource dictionary between the pages: count distinct images.)
    assert len({image.data for page in reader.pages for image in page.images}) == 8
    assert reader.metadata is not None
    assert reader.metadata.author == COUNCIL
    assert (
        reader.metadata.title
        == "Quality Assurance and Practice Improvement: February to April 2024"
    )


def test_unsafe_text_is_shown_as_text(report) -> None:  # type: ignore[no-untyped-def]
    html = committee_html(report, content(report))
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "\x07" not in html
    assert 'alt="A child&#39;s drawing of her social worker, smiling"' in html
    # Fixed columns, each wide enough for its longest word.
    assert html.count("<colgroup>") == html.count("<table>")
    text = _text(PdfReader(io.BytesIO(committee_pdf(report, content(report)))))
    assert "<script>alert(1)</script> =cmd|' /C calc'!A0 bellrang" in text


def test_the_figures_alone_as_pdf(app, report, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(app.config, "COUNCIL_NAME", COUNCIL)
    reader = PdfReader(io.BytesIO(committee_pdf(report, None)))
    text = _text(reader)
    assert "OFFICIAL-SENSITIVE" in text
    assert "Quality assurance audit report: February to April 2024" in text
    assert "What do we know?" not in text
    assert reader.metadata is not None
    assert reader.metadata.author == COUNCIL
