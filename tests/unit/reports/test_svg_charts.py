"""The report page's charts written as SVG: well-formed, showing the report's figures, safe
for any text a council enters, and cheap enough to draw on a cold page."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from qa_audit.reports import charts, svg_charts

SVG = "{http://www.w3.org/2000/svg}"
UNSAFE = "<script>alert(1)</script> & bell\x07rang"


def _domain(title: str = "Assessment") -> dict[str, Any]:
    counts = {"outstanding": 1, "good": 5, "requires_improvement": 3, "inadequate": 1}
    return {
        "title": title,
        "counts": counts,
        "graded": 10,
        "good": 5,
        "good_percent": 50.0,
        "good_or_better": 6,
        "good_or_better_percent": 60.0,
    }


def _month(month: str, audits: int = 10) -> dict[str, Any]:
    return {
        "month": month,
        "audits_completed": audits,
        "final_percent": {
            "outstanding": 10.0,
            "good": 50.0,
            "requires_improvement": 30.0,
            "inadequate": 10.0,
        },
        "good_or_better_percent": 60.0,
        "domains_good_or_better_percent": {"assessment": 55.0, "planning": None},
    }


MONTHS = [_month(f"2024-{m:02d}") for m in range(1, 13)]


def _texts(svg: bytes) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_pie_is_well_formed_and_shows_the_figures() -> None:
    svg = svg_charts.domain_pie("Assessment", _domain())
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Assessment"  # type: ignore[union-attr]
    texts = _texts(svg)
    assert any("50.0% Good (5 of 10)" in t for t in texts)
    assert any("60.0% Good or better (6 of 10)" in t for t in texts)
    # A wedge per grade, the counts of those big enough to be labelled (1 of 10 is).
    assert len(list(root.iter(f"{SVG}path"))) == 4
    assert {"1", "5", "3"} <= set(texts)


def test_a_whole_pie_and_an_empty_one() -> None:
    whole = {**_domain(), "counts": {"good": 10}, "good_or_better": 10}
    root = ET.fromstring(svg_charts.domain_pie("Assessment", whole))
    assert len(list(root.iter(f"{SVG}circle"))) == 1  # an arc cannot draw a full circle
    assert "No graded audits" in _texts(svg_charts.domain_pie("Assessment", None))


def test_any_text_stays_text() -> None:
    for svg in (
        svg_charts.domain_pie(UNSAFE, _domain(UNSAFE)),
        svg_charts.domains_trend(MONTHS, {"assessment": UNSAFE}),
        svg_charts.overall_trend(MONTHS, [{"month": "2024-03", "name": UNSAFE}]),
    ):
        root = ET.fromstring(svg)  # a control character or a stray '<' would not parse
        assert not list(root.iter(f"{SVG}script"))
        assert b"<script>" not in svg
        assert any("<script>alert(1)</script>" in t for t in _texts(svg))


def test_trends_draw_every_month_and_the_tool_change() -> None:
    changes = [{"month": "2024-06", "name": "Practice principles 2024"}]
    bars = ET.fromstring(svg_charts.overall_trend(MONTHS, changes))
    # Four grades stacked in each of twelve months, plus the legend's four swatches.
    assert len([r for r in bars.iter(f"{SVG}rect") if r.get("width") != "100%"]) == 12 * 4 + 4
    texts = _texts(svg_charts.overall_trend(MONTHS, changes))
    assert "Tool changed: Practice" in " ".join(texts)
    assert "Overall grade, last 12 months (number of audits above each bar)" in texts
    lines = svg_charts.domains_trend(MONTHS[:3], {"assessment": "Assessment"})
    assert "Share Good or better, Jan 24 to Mar 24" in _texts(lines)
    # Overall and one domain with figures; the domain without any draws no line.
    assert len(list(ET.fromstring(lines).iter(f"{SVG}polyline"))) == 2


def test_the_page_charts_are_the_svg_writer() -> None:
    """The page's charts come from the SVG writer, not matplotlib (their cost is measured by
    `make bench`, "cold report page with its charts", never here)."""
    report = {
        "domains": {"assessment": _domain(), "planning": _domain("Planning")},
        "months": MONTHS,
        "trend": {"tool_changes": []},
    }
    drawn = charts.draw_page_charts(report)
    assert len(drawn) == 4  # two pies, two trends
    assert drawn[0] == svg_charts.domain_pie("Assessment", _domain())
    assert all(chart.lstrip().startswith(b"<svg") for chart in drawn)
