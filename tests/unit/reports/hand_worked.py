"""The period report against figures worked out by hand (the working is in the comments).

Period February to April 2024, 19 audits that count (locality, practice principles 2024):

  #   month  audited  moderated (outcome)        management oversight (audited -> final)
  1   Feb    good     RI (downgraded, in May)     RI
  2   Feb    good     -                           good
  3   Feb    RI       -                           inadequate
  4   Feb    RI       RI (upheld)                 RI
  5   Feb    inad     inad (upheld)               inadequate
  6   Feb    outst    -                           good
  7   Mar    good     good (upheld)               good
  8   Mar    good     -                           RI
  9   Mar    RI       good (upgraded)             RI -> good
  10  Mar    RI       -                           RI
  11  Mar    RI       -                           inadequate
  12  Mar    good (closed) -                      good
  13  Apr    good     -                           good
  14  Apr    good     RI (downgraded)             good -> RI
  15  Apr    RI       -                           RI
  16  Apr    RI       -                           RI
  17  Apr    RI       -                           RI
  18  Apr    inad     RI (upgraded)               inadequate -> RI
  19  Apr    RI       selected, not yet moderated RI

Not counted: a draft and a returned audit in March, an audit in another month (January,
which is in the twelve-month direction of travel only). Other domains take the overall grade
as audited, except permanence N/A on #3, #10, #15 and assessment on #1 moderated to RI.

The audits are made by the ``audits`` fixture (conftest.py); ``report`` builds the period's
report on ``TODAY``.
"""

from __future__ import annotations

from datetime import date

from qa_audit.report_filters import resolve_filters
from qa_audit.reports.services import build_period_report

TODAY = date(2024, 5, 20)

PLAN = [
    # month, audited, status, moderated, mo (audited), mo (moderated)
    ("02", "good", "submitted", "requires_improvement", "requires_improvement", None),
    ("02", "good", "submitted", None, "good", None),
    ("02", "requires_improvement", "submitted", None, "inadequate", None),
    (
        "02",
        "requires_improvement",
        "submitted",
        "requires_improvement",
        "requires_improvement",
        None,
    ),
    ("02", "inadequate", "submitted", "inadequate", "inadequate", None),
    ("02", "outstanding", "submitted", None, "good", None),
    ("03", "good", "submitted", "good", "good", None),
    ("03", "good", "submitted", None, "requires_improvement", None),
    ("03", "requires_improvement", "submitted", "good", "requires_improvement", "good"),
    ("03", "requires_improvement", "submitted", None, "requires_improvement", None),
    ("03", "requires_improvement", "submitted", None, "inadequate", None),
    ("03", "good", "closed", None, "good", None),
    ("04", "good", "submitted", None, "good", None),
    ("04", "good", "submitted", "requires_improvement", "good", "requires_improvement"),
    ("04", "requires_improvement", "submitted", None, "requires_improvement", None),
    ("04", "requires_improvement", "submitted", None, "requires_improvement", None),
    ("04", "requires_improvement", "submitted", None, "requires_improvement", None),
    ("04", "inadequate", "submitted", "requires_improvement", "inadequate", "requires_improvement"),
    ("04", "requires_improvement", "submitted", None, "requires_improvement", None),
]

NA_PERMANENCE = {3, 10, 15}


def report(**kwargs):  # type: ignore[no-untyped-def]
    filters = resolve_filters(
        kwargs.pop("first", "2024-02"), kwargs.pop("last", "2024-04"), **kwargs
    )
    return build_period_report(filters, today=TODAY)
