"""Reading an audits workbook (.xlsx) as Excel saves it: the first sheet, its first row the
header, the same columns as the CSV file. Its rows come out as the CSV reader's do, (row
number, cells as text), so every check, limit and message is the same."""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any, BinaryIO

from openpyxl import load_workbook

from qa_audit.audit_import.contract import MAX_COLUMNS, AuditImportError, ImportProblem

# Every .xlsx file is a ZIP archive.
ZIP_MAGIC = b"PK\x03\x04"
NOT_A_WORKBOOK = (
    "the file is not an Excel workbook that can be read (.xlsx); in Excel use Save As and "
    "choose 'Excel Workbook (.xlsx)' or 'CSV UTF-8 (Comma delimited)'"
)


def is_workbook(file_name: str, stream: BinaryIO) -> bool:
    """Whether the upload is a workbook: named .xlsx, or a ZIP archive whatever its name."""
    start = stream.read(len(ZIP_MAGIC))
    stream.seek(0)
    return file_name.lower().endswith(".xlsx") or start == ZIP_MAGIC


def digest(stream: BinaryIO) -> str:
    """The file's SHA-256, read a chunk at a time; the stream is rewound."""
    sha = hashlib.sha256()
    while chunk := stream.read(1024 * 1024):
        sha.update(chunk)
    stream.seek(0)
    return sha.hexdigest()


def _text(value: Any) -> str:
    """A cell as the CSV file would hold it: dates as 2024-03-15, whole numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def rows(stream: BinaryIO) -> tuple[int, Iterator[tuple[int, list[str]]]]:
    """The first sheet's row count (as the file says) and its non-blank rows, read as they
    come (read-only mode: the sheet is never held whole). A header wider than MAX_COLUMNS is
    read one column past it, so that the columns check refuses it."""
    try:
        book = load_workbook(stream, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise AuditImportError([ImportProblem(0, NOT_A_WORKBOOK)]) from exc
    sheet = book.worksheets[0]

    def read() -> Iterator[tuple[int, list[str]]]:
        width = 0
        try:
            for number, values in enumerate(
                sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True), start=1
            ):
                cells = [_text(v).strip() for v in values]
                if not any(cells):
                    continue
                if not width:  # the header: the sheet's used range may run past its last name
                    while not cells[-1]:
                        cells.pop()
                    width = len(cells)
                # A row ends where its last value is, or where the header does.
                yield number, cells + [""] * (width - len(cells))
        finally:
            book.close()

    return int(sheet.max_row or 0), read()
