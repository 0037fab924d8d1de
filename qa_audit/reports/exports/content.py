"""What a report draft adds to the period's figures for the committee report: the
introduction, each practice principle's "What do we know?" and "Impact of any improvement or
learning activity", the feedback narrative, chosen quotes, images and the dip samples to
feature.

The content is plain data: whoever keeps the drafts fills it in, and nothing here reads the
database. Narrative texts are plain text: paragraphs split by blank lines, lines starting
"- " are bullets; nothing in them is read as markup."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from flask import current_app, has_app_context

from qa_audit.report_filters import period_label

DEFAULT_TITLE = "Quality Assurance and Practice Improvement"
DEFAULT_COUNCIL = "Example Borough Council"
DEFAULT_MARKING = "OFFICIAL-SENSITIVE"


class PrincipleText(NamedTuple):
    """One practice principle's narrative."""

    what_we_know: str
    impact: str


class Quote(NamedTuple):
    """A quote chosen from consented feedback; who_label as in the report JSON's quotes."""

    who_label: str
    tone: str
    said: str


class Image(NamedTuple):
    """An image for the feedback section (a child's drawing): PNG or JPEG bytes, already
    checked and re-encoded by whoever accepted it."""

    data: bytes
    mime: str
    alt: str
    caption: str
    consent: str


@dataclass(frozen=True)
class CommitteeContent:
    """What a report draft adds to the figures. ``principles`` maps a domain key of the
    report to its (what_we_know, impact) texts; ``dip_samples`` are dicts shaped as the report
    JSON's dip_samples. The document's author is the council."""

    council_name: str
    title: str = DEFAULT_TITLE
    period_label: str = ""
    introduction: str = ""
    principles: Mapping[str, PrincipleText | tuple[str, str]] = field(default_factory=dict)
    feedback_narrative: str = ""
    quotes: Sequence[Quote | tuple[str, str, str]] = ()
    images: Sequence[Image | tuple[bytes, str, str, str, str]] = ()
    dip_samples: Sequence[Mapping[str, Any]] = ()
    protective_marking: str = DEFAULT_MARKING

    @property
    def author(self) -> str:
        return self.council_name

    def principle(self, key: str) -> PrincipleText | None:
        text = self.principles.get(key)
        return PrincipleText(*text) if text is not None else None

    def chosen_quotes(self) -> list[Quote]:
        return [Quote(*q) for q in self.quotes]

    def chosen_images(self) -> list[Image]:
        return [Image(*i) for i in self.images]


def figures_only(report: Mapping[str, Any]) -> CommitteeContent:
    """The content of a document with the figures alone: the council's name and protective
    marking from the settings (when there is an application), no narrative."""
    config: Mapping[str, Any] = current_app.config if has_app_context() else {}
    period = report["period"]
    return CommitteeContent(
        council_name=config.get("COUNCIL_NAME") or DEFAULT_COUNCIL,
        title="Quality assurance audit report",
        period_label=period_label(period["from"], period["to"]),
        protective_marking=config.get("PROTECTIVE_MARKING") or DEFAULT_MARKING,
    )
