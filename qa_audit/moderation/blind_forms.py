"""Forms of blind moderation and the audit-quality checklist: the blind grades (one grade per
domain and overall, none of the auditor's shown), and the checklist's Yes / Partly / No with a
comment, added to the decision form for the audit's tool."""

from __future__ import annotations

from typing import Any

from wtforms.validators import Optional

from qa_audit.audit_tools.grades import GRADED, Grade
from qa_audit.core.form_fields import radios, submit_button, text_area
from qa_audit.core.forms import VersionedForm, choices, labelled
from qa_audit.moderation.models import Moderation, QualityRating
from qa_audit.moderation.quality import ChecklistItem, QualityAnswer, checklist_for
from qa_audit.moderation.services import OVERALL, domain_title

GRADE_VALUES = {g.value for g in Grade}


class BlindGradesForm(VersionedForm):
    """The moderator's own grade of each domain and the overall, before seeing the auditor's."""

    version_required = True
    submit = submit_button("Save my blind grades")

    moderation: Moderation
    domain_keys: list[str]

    def grade_of(self, key: str) -> Grade | None:
        value = self[f"{_prefix(key)}_grade"].data
        return Grade(value) if value in GRADE_VALUES else None

    def domain_grades(self) -> dict[str, Grade | None]:
        return {key: self.grade_of(key) for key in self.domain_keys}


def _prefix(key: str) -> str:
    return OVERALL if key == OVERALL else f"d_{key}"


def blind_grades_form(moderation: Moderation, **kwargs: Any) -> BlindGradesForm:
    """A BlindGradesForm with a grade for each of the audit's domains and the overall."""

    class Form(BlindGradesForm):
        pass

    keys = []
    for row in moderation.audit.grades:
        title = domain_title(row)
        allowed = row.tool_domain.grade_choices if row.tool_domain else list(GRADED)
        keys.append(row.domain_key)
        setattr(
            Form,
            f"d_{row.domain_key}_grade",
            radios(
                f"Your grade for {title}",
                choices=choices(labelled(allowed)),
                validators=[Optional()],
            ),
        )
    Form.overall_grade = radios(
        "Your overall grade", choices=choices(labelled(GRADED)), validators=[Optional()]
    )
    Form.overall_rationale = text_area(
        "Your reasons for the overall grade (optional)",
        max_length=10000,
        description="Kept with your blind grades.",
    )
    form = Form(**kwargs)
    form.moderation = moderation
    form.domain_keys = keys
    return form


def add_quality_fields(form: type, items: list[ChecklistItem]) -> None:
    """Yes / Partly / No and an optional comment for each checklist item."""
    for item in items:
        setattr(
            form,
            f"q_{item.key}_rating",
            radios(
                item.text,
                choices=choices(labelled(QualityRating)),
                validators=[Optional()],
                description=item.hint or None,
            ),
        )
        setattr(
            form,
            f"q_{item.key}_comment",
            text_area(f"Comment on “{item.text}” (optional)", max_length=2000),
        )


def quality_answers(form: Any, moderation: Moderation) -> dict[str, QualityAnswer]:
    answers = {}
    values = {r.value for r in QualityRating}
    for item in checklist_for(moderation.audit):
        rating = form[f"q_{item.key}_rating"].data
        answers[item.key] = QualityAnswer(
            QualityRating(rating) if rating in values else None,
            form[f"q_{item.key}_comment"].data or "",
        )
    return answers


def fill_quality(form: Any, moderation: Moderation) -> None:
    """Show the ratings saved so far."""
    for rating in moderation.quality_ratings:
        name = f"q_{rating.item_key}_rating"
        if name in form:
            form[name].data = rating.rating
            form[f"q_{rating.item_key}_comment"].data = rating.comment
