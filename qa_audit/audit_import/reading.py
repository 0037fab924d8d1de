"""Reading an audits CSV: its bytes as text, its records with their line numbers, its header
as columns, and the service areas, tools and people its values name (loaded once)."""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import BinaryIO, TextIO

from sqlalchemy import func, select

from qa_audit.audit_import.contract import (
    AUDIT_COLUMNS,
    GRADE_PREFIX,
    MAX_COLUMNS,
    MAX_LINE,
    MODERATED_GRADE_PREFIX,
    MODERATION_COLUMNS,
    AuditImportError,
    ImportProblem,
    and_words,
)
from qa_audit.audit_tools.models import AuditTool
from qa_audit.auth.models import User
from qa_audit.core.extensions import db
from qa_audit.organisation.models import ServiceArea


@dataclass(slots=True)
class Domain:
    id: int
    key: str
    position: int


@dataclass(slots=True)
class Tool:
    id: int
    key: str
    domains: list[Domain]
    keys: frozenset[str]


@dataclass(slots=True)
class Area:
    id: int
    name: str
    teams: dict[str, int]
    team_names: list[str]


def norm(value: str) -> str:
    return " ".join(value.split()).lower()


@dataclass
class Lookups:
    areas: dict[str, Area]
    area_keys: list[str]
    team_homes: dict[str, list[str]]
    tools: dict[str, Tool]
    domain_keys: set[str]
    users: dict[str, int]

    @classmethod
    def load(cls) -> Lookups:
        areas: dict[str, Area] = {}
        keys: list[str] = []
        team_homes: dict[str, list[str]] = {}
        for area in db.session.scalars(select(ServiceArea).order_by(ServiceArea.key)):
            names = [t.name for t in area.teams]
            entry = Area(area.id, area.name, {norm(t.name): t.id for t in area.teams}, names)
            areas[norm(area.key)] = entry
            areas[norm(area.name)] = entry
            keys.append(area.key)
            for name in names:
                team_homes.setdefault(norm(name), []).append(area.name)
        tools: dict[str, Tool] = {}
        domain_keys: set[str] = set()
        for tool in db.session.scalars(select(AuditTool).order_by(AuditTool.launched_on)):
            domains = [Domain(d.id, d.key, i) for i, d in enumerate(tool.domains)]
            tools[tool.key.lower()] = Tool(
                tool.id, tool.key, domains, frozenset(d.key for d in domains)
            )
            domain_keys.update(d.key for d in domains)
        users = {
            email: user_id
            for user_id, email in db.session.execute(select(User.id, func.lower(User.email)))
        }
        return cls(areas, keys, team_homes, tools, domain_keys, users)


_NOT_UTF8 = (
    "the file is not UTF-8 text; in Excel use Save As and choose 'CSV UTF-8 (Comma delimited)'"
)
_NUL = (
    "the file contains a NUL character, so it is not UTF-8 CSV text; in Excel use Save As and "
    "choose 'CSV UTF-8 (Comma delimited)'"
)
CHUNK = 1024 * 1024


def _not_text(line: int, message: str) -> AuditImportError:
    return AuditImportError([ImportProblem(line, message)])


def scan(stream: BinaryIO) -> tuple[str, int]:
    """The file's SHA-256 and its number of line breaks, read a chunk at a time; then the
    stream is rewound. AuditImportError if it is not UTF-8 text."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines = 0
    while chunk := stream.read(CHUNK):
        nul = chunk.find(b"\x00")
        if nul >= 0:
            # Never in a CSV file (UTF-16 text, or not text at all); PostgreSQL cannot store it.
            raise _not_text(lines + chunk.count(b"\n", 0, nul) + 1, _NUL)
        pending = len(decoder.getstate()[0])
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError as exc:
            at = max(0, exc.start - pending)
            raise _not_text(lines + chunk.count(b"\n", 0, at) + 1, _NOT_UTF8) from exc
        lines += chunk.count(b"\n")
        digest.update(chunk)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise _not_text(lines + 1, _NOT_UTF8) from exc
    stream.seek(0)
    return digest.hexdigest(), lines


def _physical_lines(text: TextIO) -> Iterator[str]:
    number = 0
    while line := text.readline(MAX_LINE + 1):
        number += 1
        if len(line) > MAX_LINE:
            raise _not_text(number, f"the line is longer than {MAX_LINE:,} characters")
        yield line


@contextmanager
def text_of(stream: BinaryIO) -> Iterator[TextIO]:
    """The stream read as UTF-8 text (a BOM skipped), the stream itself left open."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        yield text
    finally:
        text.detach()


def records(text: TextIO) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) for every non-blank record, read as they come; line is where the record
    starts. AuditImportError on the first line that is not CSV."""
    reader = csv.reader(_physical_lines(text))
    last = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _not_text(last + 1, f"the line cannot be read as CSV ({exc})") from exc
        start, last = last + 1, reader.line_num
        if "".join(cells).strip():
            yield start, cells


@dataclass
class Columns:
    count: int
    index: dict[str, int]
    grades: dict[str, int]
    moderated_grades: dict[str, int]
    unnamed: list[int]

    @property
    def moderation(self) -> bool:
        return "moderator_email" in self.index


def read_columns(header: list[str], lookups: Lookups) -> Columns:
    if len(header) > MAX_COLUMNS:
        raise _not_text(
            1,
            f"the header row has {len(header):,} columns; an import takes at most {MAX_COLUMNS} "
            "columns (the audit columns, a grade column for each domain and the moderation "
            "columns)",
        )
    problems: list[str] = []
    names = [norm(h) for h in header]
    index: dict[str, int] = {}
    grades: dict[str, int] = {}
    moderated: dict[str, int] = {}
    unnamed: list[int] = []
    seen: dict[str, int] = {}
    known = ", ".join(sorted(lookups.domain_keys))
    for i, name in enumerate(names):
        if not name:
            unnamed.append(i)
            continue
        if name in seen:
            problems.append(f"column '{name}' appears twice (columns {seen[name] + 1} and {i + 1})")
            continue
        seen[name] = i
        if name in AUDIT_COLUMNS or name in MODERATION_COLUMNS:
            index[name] = i
        elif name.startswith((GRADE_PREFIX, MODERATED_GRADE_PREFIX)):
            prefix, _, key = name.partition(":")
            key = key.strip()
            if key not in lookups.domain_keys:
                problems.append(
                    f"unknown column '{header[i].strip()}': no audit tool has a domain "
                    f"'{key}' (the domain keys are: {known})"
                )
            else:
                (grades if prefix == "grade" else moderated)[key] = i
        else:
            problems.append(
                f"unknown column '{header[i].strip()}'; the columns are "
                f"{', '.join(AUDIT_COLUMNS)}, grade:<domain key> for each domain, and optionally "
                f"{', '.join(MODERATION_COLUMNS)} and moderated_grade:<domain key>"
            )
    missing = [c for c in AUDIT_COLUMNS if c not in index]
    if missing:
        problems.append(
            f"missing {'column' if len(missing) == 1 else 'columns'}: {', '.join(missing)}"
        )
    given = [c for c in MODERATION_COLUMNS if c in index]
    if (given or moderated) and len(given) < len(MODERATION_COLUMNS):
        absent = [c for c in MODERATION_COLUMNS if c not in index]
        problems.append(
            f"missing {'column' if len(absent) == 1 else 'columns'}: {', '.join(absent)} "
            f"(the moderation columns {and_words(list(MODERATION_COLUMNS))} come together)"
        )
    if len(header) == 1 and ";" in header[0]:
        problems.append("the values are separated by ';': save the file as CSV with commas")
    if problems:
        raise AuditImportError(ImportProblem(1, p) for p in problems)
    return Columns(len(header), index, grades, moderated, unnamed)
