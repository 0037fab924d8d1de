"""The agreement page: figures from hand-worked examples, pairs shown, no crash without
variation, imported moderations counted."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

from qa_audit.auth.roles import Role
from tests import factories
from tests.factories import moderation as mf


def rows_of(response) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """The agreement table's rows: label -> the cells after it."""
    page = response.get_data(as_text=True)
    table = page.split('id="agreement"')[1].split("</table>")[0]
    rows = {}
    for row in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", table, re.S):
        cells = [
            " ".join(unescape(re.sub(r"<[^>]+>", " ", c)).split())
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        if cells and cells[0] not in ("Auditor", "Domain", "Service area", "Month submitted"):
            rows[cells[0]] = cells[1:]
    return rows


def test_agreement_by_auditor_with_kappa_and_pairs(login_as, client, db) -> None:
    login_as(Role.QA_LEAD)
    moderator = mf.moderator()
    alice = factories.user(Role.AUDITOR, name="Alice Auditor")
    bob = factories.user(Role.AUDITOR, name="Bob Auditor")
    # Alice: (Good,Good) (Good,RI) (RI,RI) (Inad,Inad) -> kappa 0.8 (worked out in
    # tests/unit/moderation/test_agreement.py), 3 of 4 upheld.
    for overall, moderated in [
        ("good", "good"),
        ("good", "requires_improvement"),
        ("requires_improvement", "requires_improvement"),
        ("inadequate", "inadequate"),
    ]:
        mf.completed(
            factories.audit(auditor=alice, overall=overall),
            moderator_user=moderator,
            overall=moderated,
        )
    # Bob, imported from CSV: both Good and upheld: a single cell, so no kappa.
    for _ in range(2):
        audit = factories.audit(auditor=bob, overall="good", submitted_on=date(2023, 3, 1))
        audit.source = "import"
        mf.completed(audit, moderator_user=moderator, overall="good", source="import")
    db.session.commit()
    response = client.get("/moderation/agreement?by=auditor&basis=overall")
    assert response.status_code == 200
    rows = rows_of(response)
    # pairs, upheld, % upheld, upgrades, downgrades, kappa
    assert rows["Alice Auditor"] == ["4", "3", "75.0%", "0", "1", "0.80"]
    assert rows["Bob Auditor"] == ["2", "2", "100.0%", "0", "0", "Not enough variation"]
    # All six: r = [1,1,4,0], c = [1,2,3,0]; sum(w O) = 1/9;
    #   sum(w E) = (1*(2 + 12) + 1*(1 + 3) + 4*(4 + 2)) / (9*6) = 42/54; kappa = 1 - 6/42 = 6/7.
    assert rows["All"] == ["6", "5", "83.3%", "0", "1", "0.86"]
    by_month = rows_of(client.get("/moderation/agreement?by=month"))
    assert list(by_month) == ["March 2023", "April 2024", "All"]
    assert by_month["March 2023"][0] == "2"


def test_agreement_by_domain_and_empty_pages(login_as, client, db) -> None:
    login_as(Role.MODERATOR)
    empty = client.get("/moderation/agreement")
    assert "No moderation has been completed yet" in empty.get_data(as_text=True)
    moderator = mf.moderator()
    mf.completed(
        factories.audit(overall="good"),
        moderator_user=moderator,
        overall="good",
        grades={"assessment": "requires_improvement"},
    )
    db.session.commit()
    rows = rows_of(client.get("/moderation/agreement?by=domain"))
    assert rows["Assessment"] == ["1", "0", "0.0%", "0", "1", "Not enough variation"]
    assert rows["Overall grade"] == ["1", "1", "100.0%", "0", "0", "Not enough variation"]
    assert rows["All domains"][:2] == ["5", "4"]
    assert client.get("/moderation/agreement?by=nonsense").status_code == 404
