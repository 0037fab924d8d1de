"""The committee report's forms: start a report, its narrative (one pair of texts per practice
principle), the quote finder, an image, the dip samples to feature."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovFileInput
from wtforms import BooleanField, TextAreaField
from wtforms.validators import Length

from qa_audit.audits.models import FeedbackTone, FeedbackWho
from qa_audit.committee_reports.services import NARRATIVE_LIMIT
from qa_audit.core.errors import DomainError
from qa_audit.core.form_fields import checkboxes, select, submit_button, text_area, text_input
from qa_audit.core.forms import FilterForm, VersionedForm, choices, labelled
from qa_audit.report_filters import month_label, parse_month

MONTH_HINT = "For example, 2024-02"
# The narrative fields: a name of the form's and its label.
REPORT_TEXT_LABELS = {
    "introduction": "Introduction",
    "feedback_narrative": "What children and their families are telling us",
}
PRINCIPLE_TEXT_LABELS = {
    "what_we_know": "What do we know?",
    "impact": "Impact of any improvement or learning activity",
}


def narrative(label: str, description: str = "", subject: str | None = None) -> TextAreaField:
    """A narrative text with the GOV.UK character count and a generous limit."""
    return TextAreaField(
        label,
        description=description,
        widget=GovCharacterCount(),
        validators=[
            Length(
                max=NARRATIVE_LIMIT,
                message=f"{subject or label} must be {NARRATIVE_LIMIT:,} characters or less",
            )
        ],
    )


def trend_field() -> Any:
    """Where the direction of travel starts: the report page's field, label and choices."""
    return select(
        "Direction of travel",
        validate_choice=False,
        description="How far back the month-by-month figures and charts go",
    )


def trend_choices(field: Any, starts: Sequence[tuple[str, str]]) -> None:
    """The report page's starts (since the first audit, or a tool's launch); a month already
    asked for stays chosen. Anything else is checked by the report's filters, which say why."""
    offered = list(starts)
    asked = (field.data or "").strip()
    if _real_month(asked) and asked not in {value for value, _ in offered}:
        offered.append((asked, f"From {month_label(asked)}"))
    field.choices = choices(offered, blank="The 12 months to the end month")


def _real_month(text: str) -> bool:
    try:
        parse_month(text)
    except DomainError:
        return False
    return True


class StartReportForm(FlaskForm):
    """A new committee report for a month or a period."""

    title = text_input(
        "Title",
        "Enter a title for the report",
        max_length=200,
        too_long="The title must be 200 characters or less",
        default="Quality Assurance and Practice Improvement",
    )
    from_month = text_input(
        "First month", "Enter the first month", max_length=20, description=MONTH_HINT
    )
    to_month = text_input(
        "Last month",
        "Enter the last month",
        max_length=20,
        description="The same as the first month for a monthly report. For example, 2024-04",
    )
    service_area = select("Service area", validate_choice=False)
    trend_from = trend_field()
    submit = submit_button("Start report")

    def __init__(
        self,
        *args: Any,
        areas: Sequence[tuple[str, str]],
        trend_starts: Sequence[tuple[str, str]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.service_area.choices = choices(areas, blank="All service areas")
        trend_choices(self.trend_from, trend_starts)


class TrendForm(VersionedForm):
    """Where a draft's direction of travel starts."""

    version_required = True
    trend_from = trend_field()
    submit = submit_button("Save direction of travel")

    def __init__(self, *args: Any, trend_starts: Sequence[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        trend_choices(self.trend_from, trend_starts)


class TextsForm(VersionedForm):
    """The report's narrative: its own texts and, per principle, two more (added by
    texts_form); each field's name is ``<text>-<domain key>``."""

    version_required = True
    introduction = narrative(
        "Introduction",
        "Plain text. Leave a blank line between paragraphs; start a line with "
        "'- ' for a bullet point.",
    )
    feedback_narrative = narrative(
        REPORT_TEXT_LABELS["feedback_narrative"],
        "How many children and families were spoken to, and what they said",
    )
    submit = submit_button("Save")

    principle_fields: list[tuple[str, str, str]]

    def texts(self) -> dict[str, str]:
        """The texts keyed as services.texts_of."""
        out = {name: self[name].data or "" for name in REPORT_TEXT_LABELS}
        for name, key, _ in self.principle_fields:
            out[f"{name}:{key}"] = self[f"{name}-{key}"].data or ""
        return out


def texts_form(principles: Sequence[tuple[str, str]], **kwargs: Any) -> TextsForm:
    """The narrative form for these principles ((domain key, title) pairs)."""

    class Form(TextsForm):
        pass

    fields: list[tuple[str, str, str]] = []
    for key, title in principles:
        for name, label in PRINCIPLE_TEXT_LABELS.items():
            setattr(Form, f"{name}-{key}", narrative(label, subject=f"{title}: {label}"))
            fields.append((name, key, title))
    form = Form(**kwargs)
    form.principle_fields = fields
    return form


class QuoteFinderForm(FilterForm):
    """Which feedback to show: fathers, say, or the constructive ones."""

    who = select("Who said it", validate_choice=False)
    tone = select("Tone", validate_choice=False)
    submit = submit_button("Show feedback")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.who.choices = choices(((w.value, w.label) for w in FeedbackWho), blank="Anyone")
        self.tone.choices = choices(labelled(FeedbackTone), blank="Any tone")

    def chosen(self, name: str) -> str | None:
        value = (self._fields[name].data or "").strip()
        allowed = {c.value for c in self._fields[name].choices}
        return value if value and value in allowed else None


class ImageForm(FlaskForm):
    """An image for the report, with its alt text and the consent it was shared with."""

    image = FileField(
        "Upload an image", widget=GovFileInput(), description="A PNG or JPG, smaller than 5MB"
    )
    alt_text = text_area(
        "Alt text",
        "Enter alt text that describes the image",
        max_length=1000,
        too_long="Alt text must be 1,000 characters or less",
        description="Describe the image for someone who cannot see it, for example "
        "'A child's drawing of their family in the garden'",
    )
    caption = text_input(
        "Caption (optional)", max_length=300, too_long="The caption must be 300 characters or less"
    )
    consent_note = text_input(
        "Consent",
        "Enter how consent to share the image was given",
        max_length=300,
        too_long="The consent note must be 300 characters or less",
        default="Shared with the child's consent",
    )
    submit = submit_button("Add image")


class DipSamplesForm(FlaskForm):
    """Which of the period's completed dip samples the report features."""

    dip_samples = checkboxes("Dip samples to feature", coerce=int)
    submit = submit_button("Save dip samples")

    def __init__(self, *args: Any, samples: Sequence[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.dip_samples.choices = choices(samples)


class SharingForm(VersionedForm):
    """Whether viewers see the narrative, quotes and images of a final report."""

    version_required = True
    shareable = BooleanField("Share the narrative, quotes and images with viewers")
    submit = submit_button("Save sharing")


class FinaliseForm(VersionedForm):
    """Finalise: the version the page showed, so nobody's later change is frozen unseen."""

    version_required = True
    submit = submit_button("Finalise report")
