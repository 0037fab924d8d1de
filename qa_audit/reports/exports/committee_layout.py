"""What the committee report says, in the order of the council's quarterly report to its
scrutiny committee, as plain data that the Word and the PDF writers both draw: so the two
documents carry the same words, figures and pictures.

The order: introduction; the direction of travel (charts, with any change of audit tool);
recent audit activity in numbers; each practice principle (pie, "What do we know?", "Impact
of any improvement or learning activity"); what children and their families are telling us
(who was spoken to, narrative, chosen quotes, images); the dip samples featured; then the
remaining figures as tables. Every date is written as a UK reader writes it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from qa_audit.reports import charts
from qa_audit.reports.exports.committee_tables import Table, figure_tables, months_table
from qa_audit.reports.exports.content import CommitteeContent, Quote
from qa_audit.reports.exports.dates import uk_date
from qa_audit.reports.exports.wording import figure, share

WHAT_WE_KNOW = "What do we know?"
IMPACT = "Impact of any improvement or learning activity"
FEEDBACK = "What children and their families are telling us"


@dataclass(frozen=True)
class Picture:
    """A picture with what a screen reader says (alt), its caption and any note below."""

    data: bytes
    mime: str
    alt: str
    caption: str
    note: str = ""


@dataclass(frozen=True)
class Principle:
    title: str
    sentence: str
    pie: Picture | None
    what_we_know: str
    impact: str


@dataclass
class Layout:
    """Everything the documents show, in order (see the module's docstring)."""

    content: CommitteeContent
    subject: str
    front: list[str]
    suppressed_rule: str | None = None
    introduction: str = ""
    trend_heading: str = ""
    trend_notes: list[str] = field(default_factory=list)
    trend_pictures: list[Picture] = field(default_factory=list)
    trend_table: Table | None = None
    activity_heading: str = ""
    activity: list[str] = field(default_factory=list)
    principles: list[Principle] = field(default_factory=list)
    narrative_given: bool = False
    feedback: list[str] = field(default_factory=list)
    feedback_narrative: str = ""
    quotes: list[Quote] = field(default_factory=list)
    images: list[Picture] = field(default_factory=list)
    dip_samples: list[str] = field(default_factory=list)
    figures: list[Table] = field(default_factory=list)

    @property
    def marking(self) -> str:
        return self.content.protective_marking


class _Captions:
    """Numbers the figures in the order they appear: 'Figure 1: …'."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, text: str) -> str:
        self.count += 1
        return f"Figure {self.count}: {text}"


def committee_layout(
    report: dict[str, Any], content: CommitteeContent, narrative: bool = True
) -> Layout:
    """The committee report's layout for ``report``; ``narrative`` False for the period
    report's download (the figures alone: no empty narrative headings)."""
    period_label = content.period_label
    layout = Layout(
        content=content,
        subject=f"{content.title}: {period_label}",
        front=_front(report),
        introduction=content.introduction,
        narrative_given=narrative,
    )
    suppressed = report.get("suppressed") or {}
    if suppressed.get("period"):
        # Every figure of the period rests on too few audits: the rule alone, with what the
        # QA lead wrote and chose where the reader may see it (none of it is a figure).
        layout.suppressed_rule = suppressed["rule"]
        if narrative:
            _written_alone(layout, report, content)
        return layout
    caption = _Captions()
    _trend(layout, report, caption)
    _activity(layout, report, period_label)
    _principles(layout, report, content, caption)
    _feedback(layout, report, content, narrative, caption)
    featured = content.dip_samples if narrative else report["dip_samples"]
    layout.dip_samples = [_dip_sample_line(d) for d in featured]
    layout.figures = figure_tables(report)
    return layout


def _written_alone(layout: Layout, report: dict[str, Any], content: CommitteeContent) -> None:
    """The texts, quotes, images and featured dip samples of a report whose figures are all
    withheld from the reader: principles with a text (no sentence, no pie), nothing counted."""
    for key, domain in report["domains"].items():
        text = content.principle(key)
        if text and (text.what_we_know.strip() or text.impact.strip()):
            layout.principles.append(
                Principle(domain["title"], "", None, text.what_we_know, text.impact)
            )
    layout.feedback_narrative = content.feedback_narrative
    layout.quotes = content.chosen_quotes()
    caption = _Captions()
    layout.images = [
        Picture(image.data, image.mime, image.alt, caption(image.caption), image.consent)
        for image in content.chosen_images()
    ]
    layout.dip_samples = [_dip_sample_line(d) for d in content.dip_samples]


def _front(report: dict[str, Any]) -> list[str]:
    filters = report["filters"]
    lines = [
        "Filters: "
        + (", ".join(f"{k.replace('_', ' ')} {v}" for k, v in filters.items()) or "none")
        + f". Generated on {uk_date(report['generated_on'])}."
    ]
    completed = report["audits_completed"]
    if completed == 0:
        lines.append("No audits were completed in this period.")
    if report["few_audits"] and completed:
        lines.append(
            f"Based on fewer than {report['few_audits_threshold']} audits — treat with caution."
        )
    return lines


def _trend(layout: Layout, report: dict[str, Any], caption: _Captions) -> None:
    trend = report.get("trend") or {}
    layout.trend_heading = f"Audit judgements: {trend.get('label', 'the last 12 months')}"
    changes = trend.get("tool_changes", [])
    layout.trend_notes = [change["note"] for change in changes]
    months = report["months"]
    if months:
        titles = {key: d["title"] for key, d in report["domains"].items()}
        layout.trend_pictures = [
            Picture(
                charts.overall_trend(months, "png", changes),
                "image/png",
                charts.overall_trend_alt(months),
                caption("Final overall grades by month (number of audits above each bar)"),
            ),
            Picture(
                charts.domains_trend(months, titles, "png", changes),
                "image/png",
                charts.domains_trend_alt(months, titles),
                caption("Share Good or better by month, overall and for each practice principle"),
            ),
        ]
    layout.trend_table = months_table(report)


def _activity(layout: Layout, report: dict[str, Any], period_label: str) -> None:
    overall, moderation = report["overall"], report["moderation"]
    completed = report["audits_completed"]
    layout.activity_heading = f"Recent audit activity: {period_label}"
    layout.activity = [
        f"{completed} audits were completed. Final grade Good or better: "
        f"{share(overall, 'good_or_better', overall['graded'])}{_good(overall)}."
        " The final grade is the moderated grade where an audit was moderated, otherwise the"
        " auditor's.",
        f"{figure(moderation['moderated'], completed, moderation['percent_moderated'])} of the"
        " period's audits were moderated (whenever the moderation took place): "
        f"{moderation['downgraded']} downgraded, {moderation['upgraded']} upgraded and "
        f"{moderation['upheld']} upheld.",
    ]


def _principles(
    layout: Layout, report: dict[str, Any], content: CommitteeContent, caption: _Captions
) -> None:
    for key, domain in report["domains"].items():
        title = domain["title"]
        text = content.principle(key)
        pie = None
        if domain["graded"]:
            pie = Picture(
                charts.domain_pie(title, domain, "png"),
                "image/png",
                charts.domain_pie_alt(title, domain),
                caption(f"{title}: final grades"),
            )
        layout.principles.append(
            Principle(
                title=title,
                sentence=f"Good or better: {share(domain, 'good_or_better', domain['graded'])}"
                f"{_good(domain)}; not applicable in {domain['not_applicable']} audits.",
                pie=pie,
                what_we_know=text.what_we_know if text else "",
                impact=text.impact if text else "",
            )
        )


def _feedback(
    layout: Layout,
    report: dict[str, Any],
    content: CommitteeContent,
    narrative: bool,
    caption: _Captions,
) -> None:
    feedback = report["feedback"]
    layout.feedback = [
        f"Auditors held {feedback['conversations']} feedback conversations:"
        f" {feedback['children_and_young_people']} with children and young people,"
        f" {feedback['care_experienced_adults']} with care-experienced adults,"
        f" {feedback['parents_and_carers']} with parents and carers (not fathers),"
        f" {feedback['fathers']} with fathers and {feedback['other']} with others."
        f" Positive: {share(feedback, 'positive', feedback['conversations'])};"
        f" constructive: {share(feedback, 'constructive', feedback['conversations'])}."
    ]
    layout.feedback_narrative = content.feedback_narrative
    if narrative:
        layout.quotes = content.chosen_quotes()
    else:
        layout.quotes = [
            Quote(q["who_label"], q["tone"], q["said"]) for q in feedback.get("quotes", [])
        ]
    layout.images = [
        Picture(image.data, image.mime, image.alt, caption(image.caption), image.consent)
        for image in content.chosen_images()
    ]


def _good(section: dict[str, Any]) -> str:
    """'; Good: 3 of 8 (37.5%)': committees read '% Good' beside good or better (the report
    JSON's added good_percent; nothing when a report predates it)."""
    if "good_percent" not in section or "good" not in section:
        return ""
    return f"; Good: {share(section, 'good', section['graded'])}"


def _dip_sample_line(sample: Any) -> str:
    unit = str(sample["sample_unit"]).replace("_", " ")
    line = f"{sample['title']}: {sample['sample_size']} {unit} sampled"
    if sample.get("completed_on"):
        line += f", completed {uk_date(sample['completed_on'])}"
    return line + "."


def quote_source(quote: Quote) -> str:
    """'A father, constructive feedback': who said it and the tone, below the quote."""
    tone = f", {quote.tone} feedback" if quote.tone else ""
    return f"{quote.who_label}{tone}"
