"""The agreement page: its figures follow the report's filters, percentages round as the
report rounds, too few pairs say so, the flags of generous auditors are the QA lead's alone,
and the old address still leads there."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from html import unescape

import pytest
from sqlalchemy import event

from qa_audit.auth.roles import Role
from qa_audit.report_filters import ReportFilters
from tests import factories
from tests.agreement_reference import grade_pairs, measures
from tests.factories import moderation as mf

APRIL = "/agreement?from=2024-04&to=2024-04"


def rows_of(response, table_id: str) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """A table's body rows: label -> the cells after it, as text."""
    page = response.get_data(as_text=True)
    table = page.split(f'id="{table_id}"')[1].split("</table>")[0]
    body = table.split('<tbody class="govuk-table__body">')[1]
    rows = {}
    for row in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", body, re.S):
        cells = [
            " ".join(unescape(re.sub(r"<[^>]+>", " ", c)).split())
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        rows[cells[0]] = cells[1:]
    return rows


@pytest.fixture
def moderated(db):  # type: ignore[no-untyped-def]
    """April 2024, Locality: 16 audits by Alice graded Good overall; the moderator upheld 9
    and graded 7 Requires improvement (her domain grades all upheld). June 2024, Fostering:
    three audits by Bob, all upheld."""
    moderator = mf.moderator()
    alice = factories.user(Role.AUDITOR, name="Alice Auditor")
    bob = factories.user(Role.AUDITOR, name="Bob Auditor")
    for index in range(16):
        audit = factories.audit(auditor=alice, overall="good", submitted_on=date(2024, 4, 10))
        mf.completed_moderation(audit, "good" if index < 9 else "requires_improvement", moderator)
    for _ in range(3):
        audit = factories.audit(
            auditor=bob, overall="good", area_key="fostering", submitted_on=date(2024, 6, 3)
        )
        mf.completed_moderation(audit, "good", moderator)
    return alice, bob


def test_overall_agreement_rounds_as_the_report_does(login_as, client, moderated) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    response = client.get(APRIL)
    assert response.status_code == 200
    summary = rows_of(response, "agreement-summary")
    # 9 of 16 overall judgements upheld: 56.25%, shown as the report shows it.
    overall = summary["Overall judgements"]
    assert overall[0] == "16"
    assert overall[1].startswith("56.3%")
    assert "95% interval" in overall[1]
    # Every domain pair agrees too: 80 + 9 of 96.
    assert summary["All judgements (domains and overall)"][0] == "96"
    assert summary["All judgements (domains and overall)"][1].startswith("92.7%")


def test_the_filters_change_the_figures(login_as, client, moderated) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    april = rows_of(client.get(APRIL), "agreement-summary")["Overall judgements"]
    year = rows_of(client.get("/agreement?from=2024-01&to=2024-12"), "agreement-summary")[
        "Overall judgements"
    ]
    fostering = rows_of(
        client.get("/agreement?from=2024-01&to=2024-12&service_area=fostering"),
        "agreement-summary",
    )["Overall judgements"]
    assert (april[0], year[0], fostering[0]) == ("16", "19", "3")
    assert year[1].startswith("63.2%")  # 12 of 19
    # Three pairs: below the minimum, only the count is shown.
    assert fostering[1] == "Too few to say (fewer than 10 pairs)"


def test_breakdown_by_auditor_and_too_few_to_say(login_as, client, moderated) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.MODERATOR)
    response = client.get("/agreement?from=2024-01&to=2024-12&by=auditor")
    rows = rows_of(response, "agreement-breakdown")
    assert list(rows) == ["Alice Auditor", "Bob Auditor"]
    assert rows["Alice Auditor"][0] == "96"
    assert rows["Bob Auditor"][0] == "18"  # 3 audits x (5 domains + overall)
    assert rows["Bob Auditor"][1].startswith("100.0%")


def test_generous_auditors_are_flagged_to_the_qa_lead_alone(login_as, client, moderated) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    lead = rows_of(client.get(APRIL), "optimism-auditor")
    assert lead["Alice Auditor"][1] == "+0.07"
    assert lead["Alice Auditor"][3] == "More generous than moderation"


def test_moderators_see_the_optimism_without_the_flags(login_as, client, moderated) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.MODERATOR)
    page = client.get(APRIL)
    moderator = rows_of(page, "optimism-auditor")
    assert moderator["Alice Auditor"][1] == "+0.07"
    assert moderator["Alice Auditor"][3] == "No pairs"  # March 2024, not a flag
    assert "More generous than moderation" not in page.get_data(as_text=True)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.QA_LEAD, 200),
        (Role.MODERATOR, 200),
        (Role.AUDITOR, 403),
        (Role.SERVICE_MANAGER, 403),
        (Role.VIEWER, 403),
        (Role.ADMIN, 403),
    ],
)
def test_who_may_see_the_agreement_page(login_as, client, db, role, status) -> None:  # type: ignore[no-untyped-def]
    login_as(role)
    assert client.get("/agreement").status_code == status
    nav = client.get("/").get_data(as_text=True)
    assert ('href="/agreement"' in nav) is (status == 200)


def test_the_old_address_leads_to_the_page(login_as, client, db) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.MODERATOR)
    response = client.get("/moderation/agreement?by=month")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/agreement?by=month")


def test_a_wrong_month_is_explained(login_as, client, db) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    response = client.get("/agreement?from=2024-13&to=2024-12")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "There is a problem" in page
    assert "real month" in page


def test_no_moderations_yet(login_as, client, db) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    response = client.get(APRIL)
    assert response.status_code == 200
    summary = rows_of(response, "agreement-summary")
    assert summary["Overall judgements"] == ["0", "Too few to say (fewer than 10 pairs)"]
    assert "No moderated grades in these months." in response.get_data(as_text=True)


def test_the_page_shows_the_figures_the_report_uses(login_as, client, moderated) -> None:  # type: ignore[no-untyped-def]
    """The page's row of all judgements is the reference statement's figures for the same
    pairs (tests/agreement_reference.py), to the digit."""
    login_as(Role.QA_LEAD)
    shown = rows_of(client.get("/agreement?from=2024-01&to=2024-12"), "agreement-summary")
    figures = measures(grade_pairs(ReportFilters("2024-01", "2024-12")))
    row = shown["All judgements (domains and overall)"]
    assert row[0] == str(figures.pairs)
    assert row[1] == (
        f"{figures.exact.value:.1f}% 95% interval {figures.exact.low:.1f}% to "
        f"{figures.exact.high:.1f}%"
    )
    assert row[4].startswith(f"{figures.ac2.value:.2f} ({figures.ac2.band})")
    assert f"95% interval {figures.ac2.low:.2f} to {figures.ac2.high:.2f}" in row[4]


def test_optimism_beside_the_earlier_period(login_as, client, moderated) -> None:  # type: ignore[no-untyped-def]
    """April 2024 against March 2024: Alice's ten audits in March were all upheld (0.00);
    Bob had none in March."""
    alice, _bob = moderated
    moderator = mf.moderator()
    for _ in range(10):
        audit = factories.audit(auditor=alice, overall="good", submitted_on=date(2024, 3, 5))
        mf.completed_moderation(audit, "good", moderator)
    login_as(Role.QA_LEAD)
    page = client.get(APRIL)
    assert "In March 2024" in page.get_data(as_text=True)
    rows = rows_of(page, "optimism-auditor")
    assert rows["Alice Auditor"][1] == "+0.07"
    assert rows["Alice Auditor"][4].startswith("+0.00 95% interval +0.00 to +0.00")
    by_domain = rows_of(page, "optimism-domain")
    assert by_domain["Overall judgement"][1] == "+0.44"  # 7 of 16 a grade lower
    assert by_domain["Overall judgement"][3].startswith("+0.00")
    june = rows_of(client.get("/agreement?from=2024-06&to=2024-06"), "optimism-auditor")
    assert june["Bob Auditor"][-1] == "No pairs"


@contextmanager
def counted_selects(db) -> Iterator[list[str]]:  # type: ignore[no-untyped-def]
    """Every SELECT the database is sent while the block runs."""
    seen: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


def pair_statements(seen: list[str]) -> list[str]:
    return [s for s in seen if "UNION ALL" in s and "moderation_grade" in s]


@pytest.mark.parametrize("by", ["domain", "auditor", "service_area", "month"])
def test_each_breakdown_reads_the_pairs_in_two_statements_however_many_groups(
    login_as, client, db, moderated, by
) -> None:  # type: ignore[no-untyped-def]
    """The period's pairs and the earlier period's, one statement each, whatever the number of
    auditors, areas and months: the groups are made from the rows, never read one by one."""
    login_as(Role.QA_LEAD)
    address = f"/agreement?from=2024-01&to=2024-12&by={by}"
    client.get(address)  # the client's first request: nothing left to warm
    with counted_selects(db) as few:
        assert client.get(address + "&audit_type=deep_dive").status_code == 200
    moderator = mf.moderator()
    for month in range(1, 10):
        auditor = factories.user(Role.AUDITOR, name=f"Auditor {month}")
        audit = factories.audit(
            auditor=auditor, area_key="fostering", submitted_on=date(2024, month, 2)
        )
        mf.completed_moderation(audit, "good", moderator)
    db.session.commit()
    with counted_selects(db) as many:
        page = client.get(address + "&audit_type=deep_dive")
    assert "Auditor 9" in page.get_data(as_text=True) or by != "auditor"
    assert len(pair_statements(many)) == len(pair_statements(few)) == 2
    assert len(many) == len(few)


def test_the_figures_are_kept_until_a_record_changes(login_as, client, db, moderated) -> None:  # type: ignore[no-untyped-def]
    """Asked again, the page reads no pairs; once a moderation is added, it reads them afresh
    and shows the new count."""
    login_as(Role.QA_LEAD)
    client.get(APRIL)
    with counted_selects(db) as again:
        first = rows_of(client.get(APRIL), "agreement-summary")
    assert pair_statements(again) == []
    audit = factories.audit(overall="good", submitted_on=date(2024, 4, 11))
    mf.completed_moderation(audit, "good", mf.moderator())
    db.session.commit()
    with counted_selects(db) as changed:
        second = rows_of(client.get(APRIL), "agreement-summary")
    assert len(pair_statements(changed)) == 2
    label = "All judgements (domains and overall)"
    assert int(second[label][0]) > int(first[label][0])
