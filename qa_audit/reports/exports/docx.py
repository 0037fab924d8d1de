"""The report as a Word document for the committee: A4, the protective marking in the header,
'Page X of Y' in the footer, Heading 1 and 2 styles (Word's navigation pane and table of
contents), UK dates, tables sized to their words, print-resolution charts with alt text and
captions, and the council as author. The sections come from committee_layout, in the order of
the council's quarterly report; the period report's download is the same document with the
figures alone."""

from __future__ import annotations

from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH

from qa_audit.reports.exports import docx_layout as page
from qa_audit.reports.exports.committee_layout import (
    FEEDBACK,
    IMPACT,
    WHAT_WE_KNOW,
    Layout,
    Picture,
    Principle,
    committee_layout,
    quote_source,
)
from qa_audit.reports.exports.committee_tables import Table
from qa_audit.reports.exports.content import CommitteeContent, figures_only

CHART_WIDTH_CM = 16.0
PIE_WIDTH_CM = 7.0
IMAGE_WIDTH_CM = 9.0


def to_docx(report: dict[str, Any]) -> bytes:
    """The period report's Word download: the committee report's layout with the figures
    alone (no narrative)."""
    return _document(committee_layout(report, figures_only(report), narrative=False))


def committee_document(report: dict[str, Any], content: CommitteeContent) -> bytes:
    """The committee report as a Word document: the figures and the draft's narrative."""
    return _document(committee_layout(report, content))


def _document(layout: Layout) -> bytes:
    content = layout.content
    document = page.new_document(
        title=page.text(content.title),
        subject=page.text(layout.subject),
        author=page.text(content.author),
        marking=page.text(layout.marking),
    )
    _front(document, layout)
    if layout.suppressed_rule is not None:
        document.add_paragraph(page.text(layout.suppressed_rule))
        _written_alone(document, layout)
        return page.saved(document)
    if layout.introduction:
        document.add_heading("Introduction", 1)
        page.narrative(document, layout.introduction)
    _trend(document, layout)
    document.add_heading(page.text(layout.activity_heading), 1)
    for sentence in layout.activity:
        document.add_paragraph(sentence)
    _principles(document, layout)
    _feedback(document, layout)
    _dip_samples(document, layout)
    document.add_heading("The figures in full", 1)
    for table in layout.figures:
        _table(document, table, level=2)
    return page.saved(document)


def _written_alone(document: Any, layout: Layout) -> None:
    """Below the rule that withholds every figure: what the QA lead wrote and chose, if any."""
    if layout.introduction:
        document.add_heading("Introduction", 1)
        page.narrative(document, layout.introduction)
    if layout.principles:
        document.add_heading("Practice principles", 1)
    for principle in layout.principles:
        document.add_heading(page.text(principle.title), 2)
        _principle_texts(document, layout, principle)
    if layout.feedback_narrative or layout.quotes or layout.images:
        _feedback(document, layout)
    if layout.dip_samples:
        _dip_samples(document, layout)


def _front(document: Any, layout: Layout) -> None:
    content = layout.content
    council = document.add_paragraph(page.text(content.council_name), style="Subtitle")
    council.alignment = WD_ALIGN_PARAGRAPH.LEFT
    document.add_heading(page.text(f"{content.title}: {content.period_label}"), 0)
    for line in layout.front:
        document.add_paragraph(page.text(line))


def _trend(document: Any, layout: Layout) -> None:
    document.add_heading(page.text(layout.trend_heading), 1)
    for note in layout.trend_notes:
        document.add_paragraph(page.text(note))
    for picture in layout.trend_pictures:
        _picture(document, picture, CHART_WIDTH_CM)
    if layout.trend_table is not None:
        _table(document, layout.trend_table, level=2)


def _principles(document: Any, layout: Layout) -> None:
    document.add_heading("Practice principles", 1)
    for principle in layout.principles:
        document.add_heading(page.text(principle.title), 2)
        if principle.pie is not None:
            _picture(document, principle.pie, PIE_WIDTH_CM)
        document.add_paragraph(page.text(principle.sentence))
        _principle_texts(document, layout, principle)


def _principle_texts(document: Any, layout: Layout, principle: Principle) -> None:
    # A text left unwritten (or not shared with the reader) has no heading either.
    for heading, body in ((WHAT_WE_KNOW, principle.what_we_know), (IMPACT, principle.impact)):
        if layout.narrative_given and body.strip():
            document.add_heading(heading, 3)
            page.narrative(document, body)


def _feedback(document: Any, layout: Layout) -> None:
    document.add_heading(FEEDBACK, 1)
    for sentence in layout.feedback:
        document.add_paragraph(page.text(sentence))
    if layout.feedback_narrative:
        page.narrative(document, layout.feedback_narrative)
    for quote in layout.quotes:
        said = document.add_paragraph(page.text(f"“{quote.said}”"), style="Quote")
        said.paragraph_format.keep_with_next = True
        source = document.add_paragraph(style="Quote")
        source.add_run(page.text(f"— {quote_source(quote)}")).bold = True
    for image in layout.images:
        _picture(document, image, IMAGE_WIDTH_CM)


def _dip_samples(document: Any, layout: Layout) -> None:
    document.add_heading("Thematic dip sample audits completed", 1)
    if not layout.dip_samples:
        document.add_paragraph("No dip samples are featured in this report.")
    for line in layout.dip_samples:
        document.add_paragraph(page.text(line), style="List Bullet")


def _table(document: Any, table: Table, level: int) -> None:
    document.add_heading(page.text(table.heading), level)
    for sentence in table.sentences:
        document.add_paragraph(page.text(sentence))
    if len(table.rows) > 1:
        page.table(document, table.rows)
    elif table.otherwise is not None:
        document.add_paragraph(page.text(table.otherwise))


def _picture(document: Any, picture: Picture, width_cm: float) -> None:
    page.picture(document, picture.data, width_cm, picture.alt, picture.caption)
    if picture.note:
        document.add_paragraph(page.text(picture.note))
