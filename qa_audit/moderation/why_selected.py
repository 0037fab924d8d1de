"""Why an audit is in the moderation queue, in plain English for the moderator.

The sampling rule records its reason in terms an auditor of the rule can check ("RI: draw
0.096 < rate 0.20, selected, due …"); that record stays as written. A moderator needs only
the sentence behind it, so the pages read the recorded reason through ``why_selected``.
Reasons recorded before, or by a rule this module does not know, are shown as recorded."""

from __future__ import annotations

import re

# The grade names the sampling rule writes (Grade.short), as a moderator reads them.
GRADE_NAMES = {
    "Outstanding": "Outstanding",
    "Good": "Good",
    "RI": "Requires improvement",
    "Inadequate": "Inadequate",
}

_AT_RANDOM = re.compile(
    r"^(?P<grade>Outstanding|Good|RI|Inadequate): draw [0-9.]+ < rate (?P<rate>[0-9.]+), selected"
)
_INADEQUATE = re.compile(r"^Inadequate: every overall Inadequate is moderated at once")
_BY_HAND = re.compile(r"^Added by hand by (?P<who>[^:]+): (?P<why>.+)$", re.DOTALL)
_IMPORTED = "Imported with the audit"


def percent(rate: float) -> str:
    """0.2 -> '20%', 0.125 -> '12.5%'."""
    return f"{round(rate * 100, 1):g}%"


def why_selected(reason: str | None) -> str:
    """The recorded selection reason as a plain sentence."""
    reason = (reason or "").strip()
    if found := _AT_RANDOM.match(reason):
        grade = GRADE_NAMES[found["grade"]]
        rate = percent(float(found["rate"]))
        return f"Selected at random: {rate} of {grade} audits are moderated"
    if _INADEQUATE.match(reason):
        return "Graded Inadequate overall: every Inadequate audit is moderated, as a high priority"
    if found := _BY_HAND.match(reason):
        return f"Chosen by {found['who']}, who gave this reason: {found['why']}"
    if reason == _IMPORTED:
        return "Moderated before this service was used: imported with the audit"
    return reason
