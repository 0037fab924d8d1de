"""Agreement between auditors and moderators, checked against figures worked out by hand.

Matrices are written [auditor grade][moderator grade] with the index order
0 = Inadequate (1), 1 = RI (2), 2 = Good (3), 3 = Outstanding (4).
Quadratic weights: w_ij = (i - j)^2 / 9. kappa = 1 - sum(w O) / sum(w E), E_ij = r_i c_j / n."""

from __future__ import annotations

from datetime import date

import pytest

from qa_audit.auth.roles import Role
from qa_audit.moderation.agreement import (
    AgreementRow,
    Basis,
    Dimension,
    agreement,
    weighted_kappa,
)
from tests import factories
from tests.factories import moderation as mf


def test_kappa_of_a_matrix_worked_out_by_hand() -> None:
    #            Mod: Inad RI Good Out      row sums r
    matrix = [
        [1, 0, 0, 0],  # Aud Inad           1
        [0, 2, 1, 0],  # Aud RI             3
        [0, 1, 4, 0],  # Aud Good           5
        [0, 0, 1, 0],
    ]  # Aud Out            1     n = 10
    # column sums c = [1, 3, 6, 0]
    # sum(w O): three pairs one step apart: 3 * 1/9 = 1/3
    # sum(w E) = sum_i r_i * sum_j (i-j)^2 c_j / (9 * 10):
    #   i=0: 0*1 + 1*3 + 4*6 + 9*0 = 27, x r0=1 -> 27
    #   i=1: 1*1 + 0*3 + 1*6 + 4*0 =  7, x r1=3 -> 21
    #   i=2: 4*1 + 1*3 + 0*6 + 1*0 =  7, x r2=5 -> 35
    #   i=3: 9*1 + 4*3 + 1*6 + 0*0 = 27, x r3=1 -> 27      total 110 -> 110/90 = 11/9
    # kappa = 1 - (1/3) / (11/9) = 1 - 3/11 = 8/11 = 0.72727...
    assert weighted_kappa(matrix) == pytest.approx(8 / 11)
    row = AgreementRow(key="x", label="x", matrix=matrix)
    assert (row.pairs, row.upheld, row.upgrades, row.downgrades) == (10, 7, 1, 2)
    assert row.percent_upheld == 70.0


def test_perfect_agreement_is_1() -> None:
    assert weighted_kappa([[1, 0, 0, 0], [0, 2, 0, 0], [0, 0, 3, 0], [0, 0, 0, 0]]) == 1.0


def test_kappa_is_not_given_without_variation() -> None:
    good_good = [[0] * 4 for _ in range(4)]
    good_good[2][2] = 5  # all pairs in one cell
    assert weighted_kappa(good_good) is None
    good_ri = [[0] * 4 for _ in range(4)]
    good_ri[2][1] = 4  # all in one cell off the diagonal: 0 by construction, so not given
    assert weighted_kappa(good_ri) is None
    auditors_all_good = [[0, 0, 0, 0], [0, 0, 0, 0], [0, 1, 9, 0], [0, 0, 0, 0]]
    assert weighted_kappa(auditors_all_good) is None
    assert weighted_kappa([[0] * 4 for _ in range(4)]) is None


def _moderated(auditor, overall, moderated, *, area="locality", month=4, source="app", moderator):  # type: ignore[no-untyped-def]
    audit = factories.audit(
        auditor=auditor, overall=overall, area_key=area, submitted_on=date(2024, month, 10)
    )
    if source == "import":
        audit.source = "import"
    mf.completed(audit, moderator_user=moderator, overall=moderated, source=source)
    return audit


@pytest.fixture
def overall_pairs(db):  # type: ignore[no-untyped-def]
    """Seven moderated audits: auditor A four, B two (imported from CSV), C one."""
    moderator = mf.moderator()
    a = factories.user(Role.AUDITOR, name="Alice Auditor")
    b = factories.user(Role.AUDITOR, name="Bob Auditor")
    c = factories.user(Role.AUDITOR, name="Cat Auditor")
    _moderated(a, "good", "good", moderator=moderator)
    _moderated(a, "good", "requires_improvement", moderator=moderator)
    _moderated(a, "requires_improvement", "requires_improvement", moderator=moderator)
    _moderated(a, "inadequate", "inadequate", moderator=moderator)
    _moderated(b, "outstanding", "good", moderator=moderator, source="import")
    _moderated(b, "good", "good", moderator=moderator, source="import")
    _moderated(c, "requires_improvement", "good", moderator=moderator, area="fostering", month=5)
    # Not counted: a moderation still waiting, and one withdrawn.
    mf.selected(factories.audit(auditor=a, overall="good"))
    withdrawn = mf.selected(factories.audit(auditor=a, overall="good"))
    withdrawn.status = "withdrawn"
    return a, b, c


def figures(row: AgreementRow) -> tuple:
    kappa = None if row.kappa is None else round(row.kappa, 6)
    return (row.pairs, row.upheld, row.percent_upheld, row.upgrades, row.downgrades, kappa)


def test_by_auditor_on_overall_grades(overall_pairs) -> None:
    table = agreement(Dimension.AUDITOR, Basis.OVERALL)
    rows = {row.label: row for row in table.rows}
    assert list(rows) == ["Alice Auditor", "Bob Auditor", "Cat Auditor"]
    # Alice: (Good,Good) (Good,RI) (RI,RI) (Inad,Inad); r = [1,1,2,0], c = [1,2,1,0], n = 4.
    #   sum(w O) = 1/9 (Good->RI). sum(w E) = (1*6 + 1*2 + 2*6) / (9*4) = 20/36 = 5/9,
    #   where i=0: 1*2 + 4*1 = 6; i=1: 1*1 + 1*1 = 2; i=2: 4*1 + 1*2 = 6.
    #   kappa = 1 - (1/9)/(5/9) = 0.8; upheld 3 of 4 = 75.0%.
    assert figures(rows["Alice Auditor"]) == (4, 3, 75.0, 0, 1, 0.8)
    # Bob (imported, counted the same): (Out,Good) (Good,Good): the moderator used one grade.
    assert figures(rows["Bob Auditor"]) == (2, 1, 50.0, 0, 1, None)
    assert figures(rows["Cat Auditor"]) == (1, 0, 0.0, 1, 0, None)
    # All seven: cells (Inad,Inad)1 (RI,RI)1 (Good,Good)2 (Good,RI)1 (Out,Good)1 (RI,Good)1.
    #   r = [1,2,3,1], c = [1,2,4,0], n = 7; sum(w O) = 3/9.
    #   sum(w E): i=0: 1*2 + 4*4 = 18 (x1); i=1: 1*1 + 1*4 = 5 (x2 = 10);
    #   i=2: 4*1 + 1*2 = 6 (x3 = 18); i=3: 9*1 + 4*2 + 1*4 = 21 (x1) -> 67/63.
    #   kappa = 1 - (21/63)/(67/63) = 46/67 = 0.686567; upheld 4 of 7 = 57.1%.
    assert figures(table.total) == (7, 4, 57.1, 1, 2, round(46 / 67, 6))


def test_by_service_area_and_by_month(overall_pairs) -> None:
    # Locality holds Alice's and Bob's six pairs: r = [1,1,3,1], c = [1,2,3,0], n = 6,
    #   sum(w O) = 2/9; sum(w E): i=0: 2 + 12 = 14; i=1: 1 + 3 = 4; i=2: 4 + 2 = 6 (x3 = 18);
    #   i=3: 9 + 8 + 3 = 20 -> 56/54. kappa = 1 - (12/54)/(56/54) = 11/14 = 0.785714.
    by_area = {row.label: row for row in agreement(Dimension.SERVICE_AREA).rows}
    locality = next(v for k, v in by_area.items() if k.startswith("Locality"))
    assert figures(locality) == (6, 4, 66.7, 0, 2, round(11 / 14, 6))
    assert figures(by_area["Fostering"]) == (1, 0, 0.0, 1, 0, None)
    by_month = agreement(Dimension.MONTH)
    assert [row.label for row in by_month.rows] == ["April 2024", "May 2024"]
    assert figures(by_month.rows[0]) == figures(locality)
    assert by_month.rows[1].pairs == 1


def test_imported_moderations_count_exactly_like_app_ones(overall_pairs) -> None:
    _a, b, _c = overall_pairs
    before = figures(agreement(Dimension.AUDITOR).total)
    from sqlalchemy import select

    from qa_audit.audits.models import Audit
    from qa_audit.core.extensions import db
    from qa_audit.moderation.models import Moderation

    imported = db.session.scalars(
        select(Moderation)
        .join(Audit, Audit.id == Moderation.audit_id)
        .where(Audit.auditor_id == b.id)
    ).all()
    assert {m.source for m in imported} == {"import"}
    for moderation in imported:
        moderation.source = "app"
    db.session.flush()
    assert figures(agreement(Dimension.AUDITOR).total) == before


def test_by_domain_leaves_na_out_and_adds_the_overall_row(db) -> None:
    moderator = mf.moderator()
    # Audit 1: Good, permanence N/A by the auditor; the moderator regrades assessment to RI.
    one = factories.audit(overall="good", grades={"permanence": "not_applicable"})
    mf.completed(
        one, moderator_user=moderator, overall="good", grades={"assessment": "requires_improvement"}
    )
    # Audit 2: RI throughout; the moderator regrades permanence to N/A (left out too).
    two = factories.audit(overall="requires_improvement")
    mf.completed(
        two,
        moderator_user=moderator,
        overall="requires_improvement",
        grades={"permanence": "not_applicable"},
    )
    table = agreement(Dimension.DOMAIN)
    rows = {row.key: row for row in table.rows}
    assert list(rows) == [
        "assessment",
        "plans_and_planning",
        "child_centred_practice",
        "management_oversight",
        "__overall__",
    ]  # permanence: no pairs
    assert rows["assessment"].label == "Assessment"
    # Assessment: (Good,RI) (RI,RI): the moderator used only RI -> no kappa.
    assert figures(rows["assessment"]) == (2, 1, 50.0, 0, 1, None)
    # Plans: (Good,Good) (RI,RI): r = c = [0,1,1,0]; sum(w O) = 0 -> kappa 1.
    assert figures(rows["plans_and_planning"]) == (2, 2, 100.0, 0, 0, 1.0)
    assert figures(rows["__overall__"]) == (2, 2, 100.0, 0, 0, 1.0)
    # All domains: 8 pairs, (Good,Good)3 (RI,RI)4 (Good,RI)1; r = [0,4,4,0], c = [0,5,3,0].
    #   sum(w O) = 1/9; sum(w E) = (4*3 + 4*5) / (9*8) = 32/72 = 4/9; kappa = 1 - 1/4 = 0.75.
    assert figures(table.total) == (8, 7, 87.5, 0, 1, 0.75)


def test_the_domain_basis_counts_domain_pairs_per_auditor(overall_pairs) -> None:
    # Each moderated audit has five domain pairs, all graded and agreeing (the factory gives
    # every domain the overall grade and mf.completed agrees where not told otherwise).
    table = agreement(Dimension.AUDITOR, Basis.DOMAINS)
    rows = {row.label: row for row in table.rows}
    assert rows["Alice Auditor"].pairs == 20
    assert rows["Alice Auditor"].upheld == 20
    assert rows["Alice Auditor"].kappa == 1.0
    assert table.total.pairs == 35


def test_no_moderations_gives_an_empty_table(db) -> None:
    table = agreement(Dimension.AUDITOR)
    assert table.rows == []
    assert table.total.pairs == 0
    assert table.total.kappa is None
