"""Report charts. The page's SVG images are written directly by svg_charts.py (a millisecond
for all seven, where matplotlib took half a second); the Word document's and the PDF's PNG
pictures are drawn with matplotlib's Agg back end on a Figure made here (never pyplot's
global state, so concurrent requests cannot draw on each other's charts), at print
resolution (python-docx takes PNG, not SVG). Each chart has an alt text saying what it
shows, for the documents' pictures; the page has the figures in tables as well."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from qa_audit.audit_tools.grades import GRADED, Grade
from qa_audit.reports import svg_charts

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# The page's SVG charts and these images share one palette (GOV.UK Design System colours).
GRADE_COLOURS, TEXT, GRID, LINE_COLOURS = (
    svg_charts.GRADE_COLOURS,
    svg_charts.TEXT,
    svg_charts.GRID,
    svg_charts.LINE_COLOURS,
)
FORMATS = {"svg": "image/svg+xml", "png": "image/png"}
# Month labels on a long direction of travel: about this many at most, the rest thinned out.
MAX_MONTH_LABELS = 18
# A committee report is printed: 150 dpi PNG looks soft on paper, 220 does not.
PRINT_DPI = 220
SCREEN_DPI = 150


def _render(figure: Figure, fmt: str) -> bytes:
    if fmt not in FORMATS:
        raise ValueError(f"unknown chart format {fmt!r}")
    buffer = io.BytesIO()
    metadata: dict[str, Any] = {"Date": None} if fmt == "svg" else {}
    dpi = PRINT_DPI if fmt == "png" else SCREEN_DPI
    figure.savefig(
        buffer, format=fmt, dpi=dpi, bbox_inches="tight", facecolor="white", metadata=metadata
    )
    return buffer.getvalue()


def _figure(width: float, height: float) -> Figure:
    # Imported here: matplotlib takes about a second to import, and only the documents' PNG
    # pictures need it now (the page's SVG charts are written by svg_charts.py).
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), layout="constrained")
    figure.patch.set_facecolor("white")
    return figure


def month_tick(month: str) -> str:
    """'2024-02' -> 'Feb 24'."""
    return date(int(month[:4]), int(month[5:7]), 1).strftime("%b %y")


def span_words(months: Sequence[dict[str, Any]]) -> str:
    """'last 12 months' for the default span, else 'April 2022 to April 2024'."""
    if len(months) == 12 or not months:
        return "last 12 months"
    first, last = months[0]["month"], months[-1]["month"]
    return f"{month_tick(first)} to {month_tick(last)}"


def _month_axis(axes: Any, months: Sequence[dict[str, Any]]) -> None:
    """Month labels along the bottom, thinned on a long span so that they stay readable."""
    step = max(1, math.ceil(len(months) / MAX_MONTH_LABELS))
    positions = list(range(0, len(months), step))
    axes.set_xticks(positions, [month_tick(months[x]["month"]) for x in positions], fontsize=8)


def _tool_changes(
    axes: Any, months: Sequence[dict[str, Any]], changes: Sequence[dict[str, Any]], top: float
) -> None:
    """A vertical line before each month in which the audit tool changed, with its name."""
    index = {m["month"]: x for x, m in enumerate(months)}
    for change in changes:
        x = index.get(change["month"])
        if x is None:
            continue
        axes.axvline(x - 0.5, color=TEXT, linestyle=":", linewidth=1.5)
        # The label goes on the side of the line with room for it.
        right = x < len(months) * 0.7
        axes.text(
            x - 0.4 if right else x - 0.6,
            top,
            _wrap(f"Tool changed: {change['name']}", 24),
            ha="left" if right else "right",
            va="top",
            fontsize=7,
            color=TEXT,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.0, "alpha": 0.85},
        )


def domain_pie(title: str, domain: dict[str, Any] | None, fmt: str = "svg") -> bytes:
    """One practice principle: its final grades as a pie, with the shares Good and Good or
    better."""
    if fmt == "svg":
        return svg_charts.domain_pie(title, domain)
    figure = _figure(3.4, 3.6)
    axes = figure.add_subplot()
    counts = (domain or {}).get("counts", {})
    graded = int((domain or {}).get("graded", 0))
    wrapped = _wrap(title, 28)
    if graded == 0:
        axes.text(0.5, 0.5, "No graded audits", ha="center", va="center", color=TEXT, fontsize=11)
        axes.set_axis_off()
        axes.set_title(wrapped, color=TEXT, fontsize=11, fontweight="bold")
        return _render(figure, fmt)
    keys = [g.value for g in GRADED if counts.get(g.value, 0) > 0]
    values = [counts[k] for k in keys]
    wedges, _texts = axes.pie(
        values,
        colors=[GRADE_COLOURS[k] for k in keys],
        startangle=90,
        counterclock=False,
        wedgeprops={"edgecolor": "white", "linewidth": 1.5},
    )
    for wedge, key, value in zip(wedges, keys, values, strict=True):
        if value / graded < 0.06:
            continue
        angle = (wedge.theta1 + wedge.theta2) / 2
        x, y = 0.62 * math.cos(math.radians(angle)), 0.62 * math.sin(math.radians(angle))
        colour = TEXT if key == Grade.REQUIRES_IMPROVEMENT.value else "white"
        axes.text(
            x, y, str(value), ha="center", va="center", color=colour, fontsize=11, fontweight="bold"
        )
    axes.set_aspect("equal")
    share = domain.get("good_or_better_percent") if domain else None
    good = int(domain.get("good_or_better", 0)) if domain else 0
    only_good = int(counts.get(Grade.GOOD.value, 0))
    good_share = float((domain or {}).get("good_percent") or 0.0)
    axes.set_title(
        f"{wrapped}\n{good_share:.1f}% Good ({only_good} of {graded})"
        f"\n{share:.1f}% Good or better ({good} of {graded})",
        color=TEXT,
        fontsize=11,
        fontweight="bold",
    )
    axes.legend(
        wedges,
        [Grade(k).short for k in keys],
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        ncol=2,
        frameon=False,
        fontsize=9,
    )
    return _render(figure, fmt)


def _wrap(text: str, width: int) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)


def _width(months: Sequence[dict[str, Any]]) -> float:
    """Wider for a long span, so that a bar stays wide enough to see."""
    return min(14.0, max(8.0, 0.3 * len(months)))


def overall_trend(
    months: Sequence[dict[str, Any]],
    fmt: str = "svg",
    changes: Sequence[dict[str, Any]] = (),
) -> bytes:
    """The direction of travel of the final overall grades: stacked bars of each grade's
    share, with the number of audits above each bar (the twelve months to the period's end,
    or the span asked for), and a line where the audit tool changed (``changes``, the
    report's ``trend.tool_changes``)."""
    if fmt == "svg":
        return svg_charts.overall_trend(months, changes)
    figure = _figure(_width(months), 3.8)
    axes = figure.add_subplot()
    positions = list(range(len(months)))
    bottom = [0.0] * len(months)
    for grade in reversed(GRADED):
        heights = [float(m["final_percent"][grade.value] or 0.0) for m in months]
        axes.bar(
            positions,
            heights,
            bottom=bottom,
            color=GRADE_COLOURS[grade.value],
            edgecolor="white",
            linewidth=0.5,
            label=grade.short,
        )
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    counts_size = 8 if len(months) <= 24 else 6
    for x, month in zip(positions, months, strict=True):
        axes.text(
            x,
            101,
            str(month["audits_completed"]),
            ha="center",
            va="bottom",
            fontsize=counts_size,
            color=TEXT,
        )
    axes.set_ylim(0, 110 if not changes else 125)
    axes.set_yticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"])
    _month_axis(axes, months)
    _tool_changes(axes, months, changes, 124)
    axes.set_ylabel("Share of audits (final grade)", color=TEXT)
    axes.set_title(
        f"Overall grade, {span_words(months)} (number of audits above each bar)",
        color=TEXT,
        fontsize=11,
    )
    _tidy(axes)
    handles, names = axes.get_legend_handles_labels()
    axes.legend(
        handles[::-1],
        names[::-1],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12),
        ncol=4,
        frameon=False,
        fontsize=9,
    )
    return _render(figure, fmt)


def domains_trend(
    months: Sequence[dict[str, Any]],
    titles: dict[str, str],
    fmt: str = "svg",
    changes: Sequence[dict[str, Any]] = (),
) -> bytes:
    """The direction of travel of the share Good or better: overall (dashed) and each domain,
    with a line where the audit tool changed (``changes``)."""
    if fmt == "svg":
        return svg_charts.domains_trend(months, titles, changes)
    figure = _figure(_width(months), 4.2)
    axes = figure.add_subplot()
    positions = list(range(len(months)))

    def series(values: list[float | None]) -> tuple[list[int], list[float]]:
        points = [(x, v) for x, v in zip(positions, values, strict=True) if v is not None]
        return [x for x, _ in points], [v for _, v in points]

    xs, ys = series([m["good_or_better_percent"] for m in months])
    axes.plot(
        xs,
        ys,
        color=TEXT,
        linestyle="--",
        linewidth=2,
        marker="o",
        markersize=3,
        label="Overall grade",
    )
    keys = list(months[0]["domains_good_or_better_percent"]) if months else []
    for index, key in enumerate(keys):
        xs, ys = series([m["domains_good_or_better_percent"].get(key) for m in months])
        axes.plot(
            xs,
            ys,
            color=LINE_COLOURS[index % len(LINE_COLOURS)],
            linewidth=1.8,
            marker="o",
            markersize=3,
            label=titles.get(key, key),
        )
    axes.set_ylim(0, 100 if not changes else 115)
    axes.set_yticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"])
    _month_axis(axes, months)
    _tool_changes(axes, months, changes, 114)
    axes.set_ylabel("Good or better (final grade)", color=TEXT)
    axes.set_title(f"Share Good or better, {span_words(months)}", color=TEXT, fontsize=11)
    _tidy(axes)
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, frameon=False, fontsize=8)
    return _render(figure, fmt)


def _tidy(axes: Any) -> None:
    axes.grid(axis="y", color=GRID, linewidth=0.5)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(colors=TEXT)


def month_name(month: str) -> str:
    """'2024-02' -> 'February 2024'."""
    return date(int(month[:4]), int(month[5:7]), 1).strftime("%B %Y")


def domain_pie_alt(title: str, domain: dict[str, Any] | None) -> str:
    """What the pie of one practice principle shows, in words."""
    graded = int((domain or {}).get("graded", 0))
    if not domain or graded == 0:
        return f"Pie chart for {title}: no graded audits."
    counts = domain.get("counts", {})
    parts = [f"{counts.get(g.value, 0)} {g.label}" for g in GRADED]
    return (
        f"Pie chart of the final grades for {title}: {', '.join(parts)}; "
        f"{domain['good_or_better_percent']:.1f}% Good or better "
        f"({domain['good_or_better']} of {graded})."
    )


def _span(months: Sequence[dict[str, Any]]) -> str:
    return f"{month_name(months[0]['month'])} to {month_name(months[-1]['month'])}"


def overall_trend_alt(months: Sequence[dict[str, Any]]) -> str:
    """What the chart of overall grades by month shows, in words."""
    if not months:
        return "Bar chart of overall grades by month: no months."
    shown = [m for m in months if m.get("good_or_better_percent") is not None]
    text = (
        f"Stacked bar chart of the final overall grades of each month's audits, "
        f"{_span(months)}, {sum(m['audits_completed'] for m in months)} audits in all."
    )
    if shown:
        first, last = shown[0], shown[-1]
        text += (
            f" Good or better: {first['good_or_better_percent']:.1f}% in "
            f"{month_name(first['month'])}, {last['good_or_better_percent']:.1f}% in "
            f"{month_name(last['month'])}."
        )
    return text


def domains_trend_alt(months: Sequence[dict[str, Any]], titles: dict[str, str]) -> str:
    """What the chart of each principle's share Good or better by month shows, in words."""
    if not months:
        return "Line chart of the share Good or better by month: no months."
    last = months[-1]
    latest = [
        f"{titles.get(key, key)} {value:.1f}%"
        for key, value in last["domains_good_or_better_percent"].items()
        if value is not None
    ]
    text = (
        f"Line chart of the share of final grades Good or better each month, {_span(months)}, "
        "overall and for each practice principle."
    )
    if latest:
        text += f" In {month_name(last['month'])}: {'; '.join(latest)}."
    return text


def draw_page_charts(report: dict[str, Any], titles: dict[str, str] | None = None) -> list[bytes]:
    """Every chart of the report page as SVG, as the page's images are drawn (a pie for each
    domain with graded items, the two direction-of-travel charts): what a benchmark times.
    ``titles`` name the domain keys of the direction of travel (the report's own titles by
    default)."""
    titles = titles or {key: d["title"] for key, d in report["domains"].items()}
    changes = report["trend"]["tool_changes"]
    pies = [domain_pie(d["title"], d, "svg") for d in report["domains"].values() if d.get("graded")]
    return [
        *pies,
        overall_trend(report["months"], "svg", changes),
        domains_trend(report["months"], titles, "svg", changes),
    ]
