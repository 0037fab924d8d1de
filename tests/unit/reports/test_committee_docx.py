"""The committee report as Word, opened with python-docx: A4 with sensible margins, the
protective marking in the header, 'Page X of Y' as Word fields in the footer, one heading per
practice principle in the order of the council's quarterly report, the chosen quotes, the
images and charts with alt text at print resolution, the council as author, UK dates only,
tables whose columns hold their words, and unsafe text shown as text."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm
from PIL import Image as PillowImage

from qa_audit.reports import exports
from qa_audit.reports.exports.committee import committee_docx
from qa_audit.reports.exports.docx_layout import CELL_PADDING_CM, CHAR_EM, column_widths
from qa_audit.reports.exports.narrative import Block, blocks
from tests.unit.reports.committee_data import (
    COUNCIL,
    ISO_DATE,
    MARKING,
    QUOTES,
    UNSAFE,
    content,
    period_report,
)


@pytest.fixture
def report(db) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return period_report(db)


@pytest.fixture
def word(report) -> bytes:  # type: ignore[no-untyped-def]
    return committee_docx(report, content(report))


def _document(word: bytes) -> Any:
    return Document(io.BytesIO(word))


def all_text(document: Any) -> str:
    """Every text a reader sees: body paragraphs, table cells, headers and footers."""
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for r in t.rows for c in r.cells]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    return "\n".join(parts)


def test_the_page_is_a4_with_margins_of_two_to_two_and_a_half_cm(word) -> None:  # type: ignore[no-untyped-def]
    for section in _document(word).sections:
        assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
        for margin in (section.left_margin, section.right_margin, section.top_margin):
            assert Cm(2.0) <= margin <= Cm(2.5)


def test_the_header_carries_the_marking_and_the_footer_page_x_of_y(word) -> None:  # type: ignore[no-untyped-def]
    section = _document(word).sections[0]
    assert MARKING in section.header.paragraphs[0].text
    footer = section.footer.paragraphs[0]
    fields = [i.text.split()[0] for i in footer._p.iter(qn("w:instrText"))]
    assert fields == ["PAGE", "NUMPAGES"]
    assert footer.text == "Page 1 of 1"  # the fields' results until Word lays out the pages


def test_the_sections_follow_the_reference_report(word, report) -> None:  # type: ignore[no-untyped-def]
    document = _document(word)
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == [
        "Introduction",
        "Audit judgements: the last 12 months (May 2023 to April 2024)",
        "Recent audit activity: February to April 2024",
        "Practice principles",
        "What children and their families are telling us",
        "Thematic dip sample audits completed",
        "The figures in full",
    ]
    titles = [d["title"] for d in report["domains"].values()]
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert headings[1 : 1 + len(titles)] == titles  # after the month-by-month table
    threes = [p.text for p in document.paragraphs if p.style.name == "Heading 3"]
    assert threes == [
        "What do we know?",
        "Impact of any improvement or learning activity",
    ] * len(titles)
    assert document.paragraphs[0].text == COUNCIL
    assert document.paragraphs[1].style.name == "Title"


def test_narrative_bullets_are_list_paragraphs_and_the_quotes_are_there(word) -> None:  # type: ignore[no-untyped-def]
    document = _document(word)
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert "Assessment strength one" in bullets
    assert "impact bullet for Assessment" in bullets
    assert "a father was heard" in bullets
    assert (
        "Children on repeat Child Protection Plans: 5 families sampled, completed 28 March 2024."
        in bullets
    )
    text = all_text(document)
    for quote in QUOTES:
        assert quote.said.replace("\x07", "") in text
    assert "— Father, constructive feedback" in text
    assert "8 audits were completed" in text
    # '% Good' beside good or better, as committees read it.
    assert "Final grade Good or better: 4 of 8 (50.0%); Good: 4 of 8 (50.0%)." in text
    assert "Good or better: 2 of 6 (33.3%); Good: 2 of 6 (33.3%); not applicable in 2" in text


def test_pictures_have_alt_text_captions_and_print_resolution(word) -> None:  # type: ignore[no-untyped-def]
    document = _document(word)
    shapes = document.inline_shapes
    # Two direction-of-travel charts, five pies and the child's drawing.
    assert len(shapes) == 8
    alts = [s._inline.docPr.get("descr") for s in shapes]
    assert all(alts), alts
    assert "A child's drawing of her social worker, smiling" in alts
    assert any(a.startswith("Pie chart of the final grades for Assessment: ") for a in alts)
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert len(captions) == 8
    assert captions[-1] == "Figure 8: Drawn by a 7-year-old girl during the auditor's visit"
    assert "Shared with the consent of the girl and her mother." in all_text(document)
    chart = shapes[0]
    blob = document.part.related_parts[chart._inline.graphic.graphicData.pic.blipFill.blip.embed]
    pixels = PillowImage.open(io.BytesIO(blob.blob)).size[0]
    assert pixels / (chart.width.inches) >= 200


def test_the_council_is_the_author_and_nothing_names_the_library(word) -> None:  # type: ignore[no-untyped-def]
    properties = _document(word).core_properties
    assert properties.author == COUNCIL
    assert properties.last_modified_by == COUNCIL
    assert properties.title == "Quality Assurance and Practice Improvement"
    assert (
        properties.subject == "Quality Assurance and Practice Improvement: February to April 2024"
    )
    assert properties.created is not None
    assert properties.created.year >= 2024
    with zipfile.ZipFile(io.BytesIO(word)) as package:
        for name in package.namelist():
            assert b"python-docx" not in package.read(name), name


def test_dates_are_written_the_uk_way(word) -> None:  # type: ignore[no-untyped-def]
    text = all_text(_document(word))
    assert re.search(ISO_DATE, text) is None, re.search(ISO_DATE, text)
    assert "Generated on 3 December 2026." in text
    assert "April 2024" in text


def test_table_columns_are_sized_to_hold_their_longest_word(word) -> None:  # type: ignore[no-untyped-def]
    document = _document(word)
    assert len(document.tables) >= 5
    for table in document.tables:
        layout = table._tbl.tblPr.find(qn("w:tblLayout"))
        assert layout is not None
        assert layout.get(qn("w:type")) == "fixed"
        widths = [c.width for c in table.rows[0].cells]
        assert all(widths)
        assert sum(widths) <= Cm(21.0 - 4.0)
        for row in table.rows:
            for cell in row.cells:
                runs = [r for p in cell.paragraphs for r in p.runs]
                points = runs[0].font.size.pt if runs else 10
                longest = max((len(w) for w in cell.text.split()), default=0)
                needed = longest * points * CHAR_EM * 2.54 / 72 + CELL_PADDING_CM
                assert cell.width.cm >= needed - 0.01, (cell.text, cell.width.cm)


def test_unsafe_text_is_shown_as_text(word) -> None:  # type: ignore[no-untyped-def]
    text = all_text(_document(word))
    assert "<script>alert(1)</script> =cmd|' /C calc'!A0 bellrang" in text
    assert "\x07" not in text
    assert UNSAFE not in text


def test_the_period_reports_download_has_the_same_page(app, report, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(app.config, "COUNCIL_NAME", COUNCIL)
    monkeypatch.setitem(app.config, "PROTECTIVE_MARKING", "OFFICIAL")
    for word in (exports.render(report, "docx"), committee_docx(report, None)):
        document = _document(word)
        section = document.sections[0]
        assert round(section.page_width.cm, 1) == 21.0
        assert section.header.paragraphs[0].text == "OFFICIAL"
        assert document.core_properties.author == COUNCIL
        text = all_text(document)
        assert re.search(ISO_DATE, text) is None
        # The figures alone: no narrative headings waiting to be written.
        assert "What do we know?" not in text
        assert "Quality assurance audit report: February to April 2024" in text


def test_the_marking_defaults_to_official_sensitive(app, report) -> None:  # type: ignore[no-untyped-def]
    assert app.config["PROTECTIVE_MARKING"] == "OFFICIAL-SENSITIVE"
    section = _document(committee_docx(report, None)).sections[0]
    assert section.header.paragraphs[0].text == "OFFICIAL-SENSITIVE"


def test_a_narrow_column_keeps_its_longest_word_whole() -> None:
    # Before, Word's autofit squeezed a short column beside long text to 'Assessm-ent'.
    rows = [["Assessment", "Notes"], ["Good", "a very long sentence " * 12]]
    widths = column_widths(rows, 10)
    assert widths is not None
    assert widths[0] >= len("Assessment") * 10 * CHAR_EM * 2.54 / 72 + CELL_PADDING_CM
    assert sum(widths) == pytest.approx(21.0 - 2 * 2.2)
    # A word wider than the page cannot be kept whole: None, and the table shares the page.
    assert column_widths([["x" * 200]], 8) is None


def test_narrative_is_paragraphs_and_bullets_and_nothing_else() -> None:
    assert blocks("One\nline.\n\n- first\n* second\n• third\nAfter <b>x</b>\x07") == [
        Block(text="One line."),
        Block(bullets=("first", "second", "third")),
        Block(text="After <b>x</b>"),
    ]
    assert blocks("") == []


def test_an_unwritten_principle_has_no_empty_headings(report) -> None:  # type: ignore[no-untyped-def]
    draft = content(report)
    first = next(iter(report["domains"]))
    draft = replace(draft, principles={**draft.principles, first: ("", "Only the impact.")})
    document = _document(committee_docx(report, draft))
    threes = [p.text for p in document.paragraphs if p.style.name == "Heading 3"]
    assert threes.count("What do we know?") == len(report["domains"]) - 1
    assert threes.count("Impact of any improvement or learning activity") == len(report["domains"])
