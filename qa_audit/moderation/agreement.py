"""How far auditors and moderators agree: per domain, auditor, service area and month, the
number of grade pairs, % upheld, upgrades, downgrades and a quadratic-weighted Cohen's kappa.

SQL counts the pairs (GROUP BY the dimension, the auditor's grade and the moderator's grade);
Python turns each 4x4 confusion matrix into the figures. N/A pairs are left out. Imported
moderations are completed Moderation rows like any other, so they count exactly the same."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import and_, func, select

from qa_audit.audit_tools.grades import GRADE_SCORES, GRADED, Grade
from qa_audit.audit_tools.models import AuditTool, AuditToolDomain
from qa_audit.audits.models import Audit, AuditDomainGrade
from qa_audit.auth.models import User
from qa_audit.core.extensions import db
from qa_audit.moderation.models import Moderation, ModerationGrade, ModerationStatus
from qa_audit.organisation.models import ServiceArea

# Scores 1 (Inadequate) .. 4 (Outstanding); a matrix is indexed [auditor - 1][moderator - 1].
K = 4
GRADED_VALUES = [g.value for g in GRADED]
SCORE = {grade.value: score for grade, score in GRADE_SCORES.items()}
OVERALL_KEY = "__overall__"


class Dimension(StrEnum):
    DOMAIN = "domain"
    AUDITOR = "auditor"
    SERVICE_AREA = "service_area"
    MONTH = "month"

    @property
    def label(self) -> str:
        return {
            "domain": "Domain",
            "auditor": "Auditor",
            "service_area": "Service area",
            "month": "Month submitted",
        }[self.value]


class Basis(StrEnum):
    """Which grade pairs a figure rests on: the overall judgement or every domain judgement."""

    OVERALL = "overall"
    DOMAINS = "domains"

    @property
    def label(self) -> str:
        return {"overall": "Overall grades", "domains": "Domain grades"}[self.value]


def empty_matrix() -> list[list[int]]:
    return [[0] * K for _ in range(K)]


def weighted_kappa(matrix: list[list[int]]) -> float | None:
    """Quadratic-weighted Cohen's kappa of a KxK confusion matrix; None when it says nothing.

    kappa = 1 - sum(w_ij * O_ij) / sum(w_ij * E_ij), w_ij = (i - j)^2 / (K - 1)^2,
    E_ij = row_i * col_j / n. None ("not enough variation") with no pairs, or when the auditors
    or the moderators used a single grade (all pairs in one cell, for instance): kappa is then
    undefined or 0 by construction, whatever the agreement."""
    n = sum(sum(row) for row in matrix)
    rows = [sum(matrix[i]) for i in range(K)]
    cols = [sum(matrix[i][j] for i in range(K)) for j in range(K)]
    if n == 0 or sum(1 for r in rows if r) < 2 or sum(1 for c in cols if c) < 2:
        return None
    observed = expected = 0.0
    for i in range(K):
        for j in range(K):
            weight = (i - j) ** 2 / (K - 1) ** 2
            observed += weight * matrix[i][j]
            expected += weight * rows[i] * cols[j] / n
    return 1 - observed / expected


@dataclass
class AgreementRow:
    """The figures for one value of a dimension (one domain, auditor, area or month)."""

    key: str
    label: str
    matrix: list[list[int]] = field(default_factory=empty_matrix)

    @property
    def pairs(self) -> int:
        return sum(sum(row) for row in self.matrix)

    @property
    def upheld(self) -> int:
        return sum(self.matrix[i][i] for i in range(K))

    @property
    def upgrades(self) -> int:
        """Pairs where the moderator's grade is higher than the auditor's."""
        return sum(self.matrix[i][j] for i in range(K) for j in range(K) if j > i)

    @property
    def downgrades(self) -> int:
        return sum(self.matrix[i][j] for i in range(K) for j in range(K) if j < i)

    @property
    def percent_upheld(self) -> float | None:
        return round(100 * self.upheld / self.pairs, 1) if self.pairs else None

    @property
    def kappa(self) -> float | None:
        return weighted_kappa(self.matrix)

    def add(self, auditor_grade: str, moderator_grade: str, count: int) -> None:
        self.matrix[SCORE[auditor_grade] - 1][SCORE[moderator_grade] - 1] += count


@dataclass
class AgreementTable:
    dimension: Dimension
    basis: Basis
    total: AgreementRow
    rows: list[AgreementRow]


def _graded_pairs(key_column: Any, auditor_grade: Any, moderator_grade: Any) -> Any:
    """(key, auditor grade, moderator grade, count) over completed moderations where both
    graded; the caller joins the grades' tables."""
    return (
        select(
            key_column.label("key"),
            auditor_grade.label("auditor_grade"),
            moderator_grade.label("moderator_grade"),
            func.count().label("pairs"),
        )
        .where(
            Moderation.status == ModerationStatus.COMPLETED.value,
            auditor_grade.in_(GRADED_VALUES),
            moderator_grade.in_(GRADED_VALUES),
        )
        .group_by(key_column, auditor_grade, moderator_grade)
    )


def _domain_pairs(key_column: Any) -> Any:
    """Pairs of grades over completed moderations' domains."""
    return (
        _graded_pairs(key_column, AuditDomainGrade.grade, ModerationGrade.grade)
        .select_from(ModerationGrade)
        .join(Moderation, Moderation.id == ModerationGrade.moderation_id)
        .join(Audit, Audit.id == Moderation.audit_id)
        .join(
            AuditDomainGrade,
            and_(
                AuditDomainGrade.audit_id == Audit.id,
                AuditDomainGrade.domain_key == ModerationGrade.domain_key,
            ),
        )
    )


def _overall_pairs(key_column: Any) -> Any:
    """Pairs of overall grades over completed moderations."""
    return (
        _graded_pairs(key_column, Audit.overall_grade, Moderation.overall_grade)
        .select_from(Moderation)
        .join(Audit, Audit.id == Moderation.audit_id)
    )


def _key_column(dimension: Dimension) -> Any:
    return {
        Dimension.DOMAIN: ModerationGrade.domain_key,
        Dimension.AUDITOR: Audit.auditor_id,
        Dimension.SERVICE_AREA: Audit.service_area_id,
        Dimension.MONTH: Audit.submitted_month,
    }[dimension]


def _month_label(month: str) -> str:
    year, number = month.split("-")
    names = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
    return f"{names[int(number) - 1]} {year}"


def _domain_titles() -> tuple[dict[str, str], dict[str, int]]:
    """Each domain key's title and position, from the newest tool version that has it."""
    titles: dict[str, str] = {}
    positions: dict[str, int] = {}
    rows = db.session.execute(
        select(AuditToolDomain.key, AuditToolDomain.title, AuditToolDomain.position)
        .join(AuditTool, AuditTool.id == AuditToolDomain.tool_id)
        .order_by(AuditTool.launched_on, AuditTool.id)
    )
    for key, title, position in rows:
        titles[key] = title
        positions[key] = position
    return titles, positions


def _labels(dimension: Dimension, keys: Iterable[Any]) -> dict[Any, tuple[str, Any]]:
    """A label and a sort key for every key of the dimension."""
    keys = [k for k in keys if k is not None]
    if dimension is Dimension.DOMAIN:
        titles, positions = _domain_titles()
        return {k: (titles.get(k, k), (positions.get(k, 999), k)) for k in keys}
    if dimension is Dimension.AUDITOR:
        names = dict(db.session.execute(select(User.id, User.name).where(User.id.in_(keys))).all())
        return {k: (names.get(k, f"User {k}"), (names.get(k, ""), k)) for k in keys}
    if dimension is Dimension.SERVICE_AREA:
        names = dict(
            db.session.execute(
                select(ServiceArea.id, ServiceArea.name).where(ServiceArea.id.in_(keys))
            ).all()
        )
        return {k: (names.get(k, str(k)), (names.get(k, ""), k)) for k in keys}
    return {k: (_month_label(k), k) for k in keys}


def agreement(dimension: Dimension, basis: Basis = Basis.OVERALL) -> AgreementTable:
    """The agreement figures for each value of ``dimension``, with a total row.

    By domain, each domain's own grade pairs are used, and an "Overall grade" row is added
    from the overall judgements; otherwise ``basis`` says which pairs are counted."""
    key_column = _key_column(dimension)
    use_domains = dimension is Dimension.DOMAIN or basis is Basis.DOMAINS
    query = _domain_pairs(key_column) if use_domains else _overall_pairs(key_column)
    counted: dict[Any, AgreementRow] = {}
    for key, auditor_grade, moderator_grade, pairs in db.session.execute(query):
        row = counted.setdefault(key, AgreementRow(key=str(key), label=""))
        row.add(auditor_grade, moderator_grade, pairs)
    labels = _labels(dimension, counted)
    for key, row in counted.items():
        row.label = labels[key][0] if key in labels else "Not recorded"
    ordered = sorted(
        counted.items(), key=lambda item: (item[0] is None, labels.get(item[0], ("", ""))[1])
    )
    rows = [row for _key, row in ordered]
    total = AgreementRow(key="all", label="All")
    for row in rows:
        for i in range(K):
            for j in range(K):
                total.matrix[i][j] += row.matrix[i][j]
    if dimension is Dimension.DOMAIN:
        overall = AgreementRow(key=OVERALL_KEY, label="Overall grade")
        for _key, auditor_grade, moderator_grade, pairs in db.session.execute(
            _overall_pairs(Moderation.status)
        ):
            overall.add(auditor_grade, moderator_grade, pairs)
        if overall.pairs:
            rows.append(overall)
        total.label = "All domains"
    return AgreementTable(dimension, Basis.DOMAINS if use_domains else basis, total, rows)


def grade_label(score_index: int) -> str:
    """The short grade label for a matrix index (0 = Inadequate .. 3 = Outstanding)."""
    return next(g.short for g in GRADED if g.score == score_index + 1)


GRADE_ORDER = [Grade.INADEQUATE, Grade.REQUIRES_IMPROVEMENT, Grade.GOOD, Grade.OUTSTANDING]
