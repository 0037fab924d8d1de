"""The published-figures data set as an audits CSV for the import (docs/report-figures.md, "A
check against published figures"): the audits of tests/unit/reports/test_published_figures.py,
so that importing it through the import page reproduces the council's published figures.

- February to April 2024: 53 deep dives, 19 moderated, 4 downgraded, 1 upgraded.
- April 2024: 7 Good, 11 RI, 1 Inadequate (every Inadequate moderated).
- April 2023, on the earlier qaif-2022 tool: 1 Good, 9 RI, 1 Inadequate.

Domain grades follow the overall grade (management oversight apart in April 2023's one Good
audit, where it is RI); moderated audits take the moderator's overall grade."""

from __future__ import annotations

from tests.factories.audit_import import PRACTICE_DOMAINS, QAIF_EXTRA_DOMAINS, csv_bytes

AUDITOR = "published.auditor@example.org"
MODERATOR = "published.moderator@example.org"
GOOD, RI, INADEQUATE = "Good", "Requires Improvement", "Inadequate"
PRACTICE = "practice-principles-2024"
QAIF = "qaif-2022"
AUDITS = 64
MODERATED = 19


def row(
    ref: str,
    submitted_on: str,
    grade: str,
    moderated: str | None = None,
    *,
    tool: str = PRACTICE,
    oversight: str | None = None,
) -> dict[str, str]:
    domains = PRACTICE_DOMAINS + (QAIF_EXTRA_DOMAINS if tool == QAIF else ())
    row = {
        "audit_ref": ref,
        "case_ref": f"CR{ref[-5:]}",
        "service_area": "locality",
        "team": "North Locality",
        "auditor_email": AUDITOR,
        "audit_type": "deep_dive",
        "tool": tool,
        "submitted_on": submitted_on,
        "overall_grade": grade,
        **{f"grade:{key}": grade for key in domains},
    }
    if oversight:
        row["grade:management_oversight"] = oversight
    if moderated:
        row.update(
            moderator_email=MODERATOR,
            moderated_on=submitted_on,
            moderated_overall_grade=moderated,
        )
    return row


def rows(prefix: str = "PUB") -> list[dict[str, str]]:
    """The data set's rows; audit references ``<prefix>-00001`` onwards."""
    out: list[dict[str, str]] = []

    def add(*args: str | None, **kwargs: str | None) -> None:
        out.append(row(f"{prefix}-{len(out) + 1:05d}", *args, **kwargs))  # type: ignore[arg-type]

    # February and March 2024: 17 each, 5 Good then 12 RI; 8 moderated each month.
    february = {0: RI, 1: RI, 2: RI, 3: RI, 5: GOOD, 6: RI, 7: RI, 8: RI}  # 4 down, 1 up
    march = {0: GOOD, 1: GOOD, 2: GOOD, 3: GOOD, 4: GOOD, 5: RI, 6: RI, 7: RI}  # upheld
    for day, moderated in (("2024-02-12", february), ("2024-03-12", march)):
        for i in range(17):
            add(day, GOOD if i < 5 else RI, moderated.get(i))
    # April 2024: 7 Good (2 moderated, upheld), 11 RI, 1 Inadequate (moderated, upheld).
    for i in range(7):
        add("2024-04-16", GOOD, GOOD if i < 2 else None)
    for _ in range(11):
        add("2024-04-16", RI)
    add("2024-04-16", INADEQUATE, INADEQUATE)
    # April 2023 on the earlier tool: 1 Good, 9 RI, 1 Inadequate; no Good management oversight.
    add("2023-04-20", GOOD, tool=QAIF, oversight=RI)
    for _ in range(9):
        add("2023-04-20", RI, tool=QAIF)
    add("2023-04-20", INADEQUATE, tool=QAIF)
    return out


def published_figures_csv(prefix: str = "PUB") -> bytes:
    """The data set as the import's CSV file."""
    return csv_bytes(rows(prefix))
