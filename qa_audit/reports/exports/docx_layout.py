"""The page and the building blocks of the Word documents: A4 with the protective marking in
the header and 'Page X of Y' in the footer (Word fields, so the numbers stay right as the
document is edited), the document's properties, tables whose columns are sized from their
words, pictures with alt text and a caption, and plain-text narrative as paragraphs and
bullets."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from qa_audit.core.spreadsheets import cleaned
from qa_audit.reports.exports.narrative import blocks

PAGE_WIDTH, PAGE_HEIGHT = Cm(21.0), Cm(29.7)
SIDE_MARGIN, TOP_MARGIN = Cm(2.2), Cm(2.5)
USABLE_WIDTH_CM = 21.0 - 2 * 2.2
BODY_POINTS = 11
TABLE_POINTS = (10, 9, 8)
# A generous average width of a character, as a share of the font size in points, and the
# cell's own padding: columns sized with these hold their longest word on one line.
CHAR_EM = 0.56
CELL_PADDING_CM = 0.45


def new_document(
    *, title: str, subject: str, author: str, marking: str, created: datetime | None = None
) -> Any:
    """An empty A4 document with the marking in the header, page numbers in the footer and
    its properties (the council as author; nothing of the library that wrote it)."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = SIDE_MARGIN
    section.top_margin = section.bottom_margin = TOP_MARGIN
    document.styles["Normal"].font.size = Pt(BODY_POINTS)
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    header.add_run(marking).bold = True
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Page ")
    _field(footer, "PAGE", "1")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES", "1")
    properties = document.core_properties
    properties.title, properties.subject = title, subject
    properties.author = properties.last_modified_by = author
    properties.comments = properties.keywords = properties.category = ""
    properties.created = properties.modified = created or datetime.now(UTC).replace(tzinfo=None)
    properties.revision = 1
    return document


def _field(paragraph: Any, code: str, shown: str) -> None:
    """A Word field (PAGE, NUMPAGES) as begin / instruction / separate / result / end runs,
    the form Word itself writes; the result is refreshed by Word as it lays out the pages."""
    for kind, text in (("begin", None), ("instr", code), ("separate", None), ("text", shown)):
        run = paragraph.add_run()
        if kind == "instr":
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = f" {text} \\* MERGEFORMAT "
            run._r.append(instruction)
        elif kind == "text":
            run.text = text or ""
        else:
            run._r.append(_fld_char(kind))
    paragraph.add_run()._r.append(_fld_char("end"))


def _fld_char(kind: str) -> Any:
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    return element


def saved(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def text(value: Any) -> str:
    """Any value as text for the document, without the control characters Word refuses."""
    return "" if value is None else str(cleaned(str(value)))


def narrative(document: Any, body: str) -> None:
    """Plain text as the QA lead wrote it: paragraphs and List Bullet paragraphs."""
    for block in blocks(body):
        if block.text:
            document.add_paragraph(block.text)
        for bullet in block.bullets:
            document.add_paragraph(bullet, style="List Bullet")


def column_widths(rows: Sequence[Sequence[str]], points: int) -> list[float] | None:
    """Widths in cm for the columns of ``rows``: each at least its longest word (so no word
    is broken across lines), the rest of the page shared out by how much each column has to
    say. None when the longest words alone do not fit the page at this size."""
    char_cm = points * CHAR_EM * 2.54 / 72
    columns = list(zip(*rows, strict=True))
    least = [
        max((len(word) for value in column for word in value.split()), default=1) * char_cm
        + CELL_PADDING_CM
        for column in columns
    ]
    wanted = [
        max((len(value) for value in column), default=1) * char_cm + CELL_PADDING_CM
        for column in columns
    ]
    if sum(least) > USABLE_WIDTH_CM:
        return None
    if sum(wanted) <= USABLE_WIDTH_CM:
        spare = USABLE_WIDTH_CM - sum(wanted)
        return [w + spare * w / sum(wanted) for w in wanted]
    extra = [w - m for w, m in zip(wanted, least, strict=True)]
    spare = USABLE_WIDTH_CM - sum(least)
    return [m + spare * e / sum(extra) for m, e in zip(least, extra, strict=True)]


def table(document: Any, values: Sequence[Sequence[Any]]) -> Any:
    """A table with a bold header row repeated on each page, its columns sized from their
    words at the largest of TABLE_POINTS that fits, and a fixed layout so Word keeps them."""
    rows = [[text(v) for v in row] for row in values]
    points, widths = TABLE_POINTS[-1], None
    for points in TABLE_POINTS:
        widths = column_widths(rows, points)
        if widths is not None:
            break
    widths = widths or [USABLE_WIDTH_CM / len(rows[0])] * len(rows[0])
    grid = document.add_table(rows=len(rows), cols=len(rows[0]))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    grid._tbl.tblPr.append(layout)
    for index, width in enumerate(widths):
        grid.columns[index].width = Cm(width)
    for row_index, (row, cells) in enumerate(zip(rows, grid.rows, strict=True)):
        _keep_row_whole(row_index == 0, cells)
        for value, cell, width in zip(row, cells.cells, widths, strict=True):
            cell.width = Cm(width)
            run = cell.paragraphs[0].add_run(value)
            run.font.size = Pt(points)
            run.bold = row_index == 0
    return grid


def _keep_row_whole(header: bool, row: Any) -> None:
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if header:
        properties.append(OxmlElement("w:tblHeader"))


def picture(document: Any, png: bytes, width_cm: float, alt: str, caption: str) -> None:
    """A picture with its alt text (what a screen reader says) and a caption below it."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    shape = paragraph.add_run().add_picture(io.BytesIO(png), width=Cm(width_cm))
    shape._inline.docPr.set("descr", text(alt))
    shape._inline.docPr.set("title", text(caption))
    paragraph.paragraph_format.keep_with_next = True
    document.add_paragraph(text(caption), style="Caption")
