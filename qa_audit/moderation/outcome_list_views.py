"""The auditor's page of every moderation outcome of their audits (the home page shows the
newest few), filtered by outcome and paged. The page joins the moderation blueprint."""

from __future__ import annotations

from typing import Any

from flask import request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from qa_audit.access_log.declarations import case_level
from qa_audit.access_log.hooks import note_listed
from qa_audit.audit_tools.grades import Grade
from qa_audit.auth.permissions import roles_required
from qa_audit.auth.roles import Role
from qa_audit.core.forms import FilterForm, FilterSelect, choices
from qa_audit.core.views import filtered_list_page, requested_page
from qa_audit.moderation.models import ModerationOutcome
from qa_audit.moderation.outcome_list import outcomes_of_auditor
from qa_audit.moderation.views import bp


class OutcomeFilterForm(FilterForm):
    """Filter of the auditor's outcomes: upheld, upgraded or downgraded."""

    outcome = FilterSelect("Outcome")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.outcome.choices = choices(
            ((o.value, o.value.capitalize()) for o in ModerationOutcome), blank="Any outcome"
        )

    def chosen_outcome(self) -> ModerationOutcome | None:
        given = self.given("outcome")
        return ModerationOutcome(given) if given else None


def grade_label(value: str | None) -> str:
    return Grade(value).label if value else "None"


@bp.route("/your-outcomes")
@case_level("moderation")
@roles_required(Role.AUDITOR)
def your_outcomes() -> ResponseReturnValue:
    form = OutcomeFilterForm(formdata=request.args)
    form.validate()
    rows, paging = outcomes_of_auditor(current_user, form.chosen_outcome(), requested_page())
    note_listed(m.audit.case_ref for m in rows)
    return filtered_list_page(
        "moderation/your_outcomes.html",
        form,
        rows,
        paging,
        ("moderation.your_outcomes", "Pages of your moderation outcomes"),
        grade_label=grade_label,
    )
