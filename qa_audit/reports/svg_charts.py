"""The report page's charts as SVG written directly: the same pies, stacked bars and lines as
charts.py draws with matplotlib for the Word document, at a few hundredths of the cost.

Drawing the page's seven charts with matplotlib took about 0.55 s, sixty times the cost of
the report's figures (docs/benchmark.md); writing the same shapes as SVG text takes about a
millisecond. Word needs PNG, so the documents keep matplotlib (charts.py).

Every text goes through markupsafe's escape (after its control characters are removed, which
XML does not allow), so a domain or tool name cannot add markup to the image. Colours and
sizes are presentation attributes, not style: nothing here needs a CSP allowance. Each image
carries a <title>; the page gives each one an alt text and its figures in a table."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from markupsafe import escape

from qa_audit.audit_tools.grades import GRADED, Grade
from qa_audit.core.request_input import clean_text

# The charts' colours, here and in charts.py's images (GOV.UK Design System); RI's yellow
# takes dark text.
GRADE_COLOURS = {
    Grade.OUTSTANDING.value: "#1d70b8",
    Grade.GOOD.value: "#00703c",
    Grade.REQUIRES_IMPROVEMENT.value: "#ffdd00",
    Grade.INADEQUATE.value: "#d4351c",
}
TEXT = "#0b0c0c"
GRID = "#b1b4b6"
LINE_COLOURS = [
    "#1d70b8",
    "#00703c",
    "#912b88",
    "#f47738",
    "#5694ca",
    "#85994b",
    "#6f72af",
    "#b58840",
    "#28a197",
    "#d53880",
]
FONT = "arial, Helvetica, sans-serif"
# Month labels on a long direction of travel: about this many at most, the rest thinned out.
MAX_MONTH_LABELS = 18
# Roughly how wide a character of the sans-serif font is, as a share of its size: enough to
# place legends and label backgrounds (the browser does the real measuring).
CHAR_WIDTH = 0.56
PIE_SMALLEST_LABELLED = 0.06
# English month abbreviations whatever the server's locale (strftime's %b follows it).
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _text(value: Any) -> str:
    return str(escape(clean_text(str(value))))


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _svg(width: float, height: float, title: str, body: list[str]) -> bytes:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_num(width)}" '
        f'height="{_num(height)}" viewBox="0 0 {_num(width)} {_num(height)}" role="img" '
        f'font-family="{FONT}"><title>{_text(title)}</title>'
        f'<rect width="100%" height="100%" fill="#ffffff"/>'
    )
    return (head + "".join(body) + "</svg>").encode()


def _label(
    x: float,
    y: float,
    lines: Sequence[str],
    size: float = 11,
    anchor: str = "middle",
    bold: bool = False,
    colour: str = TEXT,
) -> str:
    """A text of one or more lines, the first line's baseline at ``y``."""
    weight = ' font-weight="bold"' if bold else ""
    spans = "".join(
        f'<tspan x="{_num(x)}" dy="{_num(0 if i == 0 else size * 1.25)}">{_text(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return (
        f'<text x="{_num(x)}" y="{_num(y)}" font-size="{_num(size)}" fill="{colour}" '
        f'text-anchor="{anchor}"{weight}>{spans}</text>'
    )


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` characters where the words allow."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return lines


# --- one practice principle as a pie -------------------------------------------------------

PIE_WIDTH = 330
PIE_RADIUS = 105


def _point(cx: float, cy: float, r: float, turn: float) -> tuple[float, float]:
    """The point at ``turn`` (0 to 1) clockwise from the top of a circle."""
    angle = 2 * math.pi * turn
    return cx + r * math.sin(angle), cy - r * math.cos(angle)


def _wedge(cx: float, cy: float, start: float, end: float, colour: str) -> str:
    if end - start >= 1:
        return (
            f'<circle cx="{_num(cx)}" cy="{_num(cy)}" r="{PIE_RADIUS}" fill="{colour}" '
            'stroke="#ffffff" stroke-width="1.5"/>'
        )
    x1, y1 = _point(cx, cy, PIE_RADIUS, start)
    x2, y2 = _point(cx, cy, PIE_RADIUS, end)
    large = 1 if end - start > 0.5 else 0
    return (
        f'<path d="M{_num(cx)},{_num(cy)} L{_num(x1)},{_num(y1)} A{PIE_RADIUS},{PIE_RADIUS} 0 '
        f'{large} 1 {_num(x2)},{_num(y2)} Z" fill="{colour}" stroke="#ffffff" '
        'stroke-width="1.5"/>'
    )


def domain_pie(title: str, domain: dict[str, Any] | None) -> bytes:
    """One practice principle: its final grades as a pie, with the shares Good and Good or
    better (None: a suppressed or empty domain, said in words)."""
    counts = (domain or {}).get("counts", {})
    graded = int((domain or {}).get("graded", 0))
    lines = wrap(title, 28)
    if domain and graded:
        good = int(counts.get(Grade.GOOD.value, 0))
        good_share = float(domain.get("good_percent") or 0.0)
        share = float(domain.get("good_or_better_percent") or 0.0)
        lines += [
            f"{good_share:.1f}% Good ({good} of {graded})",
            f"{share:.1f}% Good or better ({domain.get('good_or_better', 0)} of {graded})",
        ]
    top = 22 + 16 * len(lines)
    body = [_label(PIE_WIDTH / 2, 20, lines, 13, bold=True)]
    if not graded:
        body.append(_label(PIE_WIDTH / 2, top + 40, ["No graded audits"], 14))
        return _svg(PIE_WIDTH, top + 80, title, body)
    cx, cy = PIE_WIDTH / 2, top + PIE_RADIUS
    keys = [g.value for g in GRADED if counts.get(g.value, 0) > 0]
    start = 0.0
    for key in keys:
        end = start + counts[key] / graded
        body.append(_wedge(cx, cy, start, end, GRADE_COLOURS[key]))
        if counts[key] / graded >= PIE_SMALLEST_LABELLED:
            x, y = _point(cx, cy, PIE_RADIUS * 0.62, (start + end) / 2)
            colour = TEXT if key == Grade.REQUIRES_IMPROVEMENT.value else "#ffffff"
            body.append(_label(x, y + 5, [str(counts[key])], 14, bold=True, colour=colour))
        start = end
    legend_top = cy + PIE_RADIUS + 14
    for index, key in enumerate(keys):
        x = 40 + (index % 2) * (PIE_WIDTH / 2)
        y = legend_top + (index // 2) * 20
        body.append(_swatch(x, y, GRADE_COLOURS[key]))
        body.append(_label(x + 18, y + 11, [Grade(key).short], 12, anchor="start"))
    height = legend_top + 20 * math.ceil(len(keys) / 2) + 6
    return _svg(PIE_WIDTH, height, title, body)


def _swatch(x: float, y: float, colour: str) -> str:
    return (
        f'<rect x="{_num(x)}" y="{_num(y)}" width="13" height="13" fill="{colour}" '
        f'stroke="{GRID}" stroke-width="0.5"/>'
    )


# --- month by month ------------------------------------------------------------------------


class _Plot:
    """The frame of a month-by-month chart: where a month and a percentage are drawn."""

    LEFT, RIGHT, TOP = 70, 20, 44
    HEIGHT = 230

    def __init__(self, months: Sequence[dict[str, Any]], top_percent: float, room: float):
        self.months = months
        self.width = min(1120.0, max(640.0, 24.0 * len(months)))
        self.top_percent = top_percent
        self.top = self.TOP + room
        self.step = (self.width - self.LEFT - self.RIGHT) / max(1, len(months))

    def x(self, index: float) -> float:
        return self.LEFT + self.step * (index + 0.5)

    def y(self, percent: float) -> float:
        return self.top + self.HEIGHT * (1 - percent / self.top_percent)

    @property
    def bottom(self) -> float:
        return self.top + self.HEIGHT

    def axes(self, y_label: str) -> list[str]:
        """Grid lines at every quarter, the percentages, the month labels and the y label."""
        out = []
        for percent in (0, 25, 50, 75, 100):
            y = self.y(percent)
            out.append(
                f'<line x1="{self.LEFT}" y1="{_num(y)}" x2="{_num(self.width - self.RIGHT)}" '
                f'y2="{_num(y)}" stroke="{GRID}" stroke-width="0.5"/>'
            )
            out.append(_label(self.LEFT - 6, y + 4, [f"{percent}%"], 11, anchor="end"))
        step = max(1, math.ceil(len(self.months) / MAX_MONTH_LABELS))
        for index in range(0, len(self.months), step):
            tick = month_tick(self.months[index]["month"])
            out.append(_label(self.x(index), self.bottom + 16, [tick], 11))
        middle = self.top + self.HEIGHT / 2
        out.append(
            f'<text x="16" y="{_num(middle)}" font-size="12" fill="{TEXT}" text-anchor="middle" '
            f'transform="rotate(-90 16 {_num(middle)})">{_text(y_label)}</text>'
        )
        return out

    def tool_changes(self, changes: Sequence[dict[str, Any]]) -> list[str]:
        """A dotted line before each month in which the audit tool changed, with its name."""
        index = {m["month"]: x for x, m in enumerate(self.months)}
        out = []
        for change in changes:
            x = index.get(change["month"])
            if x is None:
                continue
            line_x = self.x(x - 0.5)
            out.append(
                f'<line x1="{_num(line_x)}" y1="{_num(self.TOP)}" x2="{_num(line_x)}" '
                f'y2="{_num(self.bottom)}" stroke="{TEXT}" stroke-width="1.5" '
                'stroke-dasharray="2,3"/>'
            )
            # The label goes on the side of the line with room for it.
            right = x < len(self.months) * 0.7
            lines = wrap(f"Tool changed: {change['name']}", 24)
            out.append(
                _label(
                    line_x + 4 if right else line_x - 4,
                    self.TOP + 10,
                    lines,
                    10,
                    anchor="start" if right else "end",
                )
            )
        return out

    def legend(
        self, items: Sequence[tuple[str, str, str]], columns: int
    ) -> tuple[list[str], float]:
        """(kind 'box' or 'line' or 'dash', colour, name) in rows below the month labels;
        the shapes and the height they take."""
        out, column_width = [], (self.width - self.LEFT - self.RIGHT) / columns
        first = self.bottom + 34
        for index, (kind, colour, name) in enumerate(items):
            x = self.LEFT + (index % columns) * column_width
            y = first + (index // columns) * 18
            if kind == "box":
                out.append(_swatch(x, y, colour))
            else:
                dash = ' stroke-dasharray="6,3"' if kind == "dash" else ""
                out.append(
                    f'<line x1="{_num(x)}" y1="{_num(y + 7)}" x2="{_num(x + 20)}" '
                    f'y2="{_num(y + 7)}" stroke="{colour}" stroke-width="2"{dash}/>'
                )
            out.append(_label(x + 26, y + 11, [name], 11, anchor="start"))
        return out, first + 18 * math.ceil(len(items) / columns) + 4


def month_tick(month: str) -> str:
    """'2024-02' -> 'Feb 24'."""
    return f"{MONTH_NAMES[int(month[5:7]) - 1]} {month[2:4]}"


def span_words(months: Sequence[dict[str, Any]]) -> str:
    """'last 12 months' for the default span, else 'Apr 22 to Apr 24'."""
    if len(months) == 12 or not months:
        return "last 12 months"
    return f"{month_tick(months[0]['month'])} to {month_tick(months[-1]['month'])}"


def _bar(plot: _Plot, index: int, low: float, high: float, colour: str) -> str:
    width = plot.step * 0.8
    return (
        f'<rect x="{_num(plot.x(index) - width / 2)}" y="{_num(plot.y(high))}" '
        f'width="{_num(width)}" height="{_num(max(0.0, plot.y(low) - plot.y(high)))}" '
        f'fill="{colour}" stroke="#ffffff" stroke-width="0.5"/>'
    )


def overall_trend(
    months: Sequence[dict[str, Any]], changes: Sequence[dict[str, Any]] = ()
) -> bytes:
    """The direction of travel of the final overall grades: stacked bars of each grade's
    share with the number of audits above each bar, and a line where the tool changed."""
    plot = _Plot(months, 110.0, 30.0 if changes else 0.0)
    title = f"Overall grade, {span_words(months)} (number of audits above each bar)"
    body = [_label(plot.width / 2, 22, [title], 13), *plot.axes("Share of audits (final grade)")]
    counts_size = 10 if len(months) <= 24 else 8
    for index, month in enumerate(months):
        bottom = 0.0
        for grade in reversed(GRADED):
            height = float(month["final_percent"][grade.value] or 0.0)
            if height:
                body.append(_bar(plot, index, bottom, bottom + height, GRADE_COLOURS[grade.value]))
            bottom += height
        count = str(month["audits_completed"])
        body.append(_label(plot.x(index), plot.y(101), [count], counts_size))
    body += plot.tool_changes(changes)
    legend, height = plot.legend(
        [("box", GRADE_COLOURS[g.value], g.short) for g in GRADED], columns=4
    )
    return _svg(plot.width, height, title, body + legend)


def _series(plot: _Plot, values: Sequence[float | None], colour: str, dashed: bool) -> list[str]:
    points = [(plot.x(i), plot.y(v)) for i, v in enumerate(values) if v is not None]
    if not points:
        return []
    dash = ' stroke-dasharray="6,3"' if dashed else ""
    width = 2 if dashed else 1.8
    path = " ".join(f"{_num(x)},{_num(y)}" for x, y in points)
    out = [
        f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="{width}"{dash}/>'
    ]
    out += [f'<circle cx="{_num(x)}" cy="{_num(y)}" r="3" fill="{colour}"/>' for x, y in points]
    return out


def domains_trend(
    months: Sequence[dict[str, Any]],
    titles: dict[str, str],
    changes: Sequence[dict[str, Any]] = (),
) -> bytes:
    """The direction of travel of the share Good or better: overall (dashed) and each
    domain, with a line where the audit tool changed."""
    plot = _Plot(months, 100.0, 20.0 if changes else 0.0)
    title = f"Share Good or better, {span_words(months)}"
    body = [_label(plot.width / 2, 22, [title], 13), *plot.axes("Good or better (final grade)")]
    body += _series(plot, [m["good_or_better_percent"] for m in months], TEXT, dashed=True)
    keys = list(months[0]["domains_good_or_better_percent"]) if months else []
    items = [("dash", TEXT, "Overall grade")]
    for index, key in enumerate(keys):
        colour = LINE_COLOURS[index % len(LINE_COLOURS)]
        values = [m["domains_good_or_better_percent"].get(key) for m in months]
        body += _series(plot, values, colour, dashed=False)
        items.append(("line", colour, titles.get(key, key)))
    body += plot.tool_changes(changes)
    legend, height = plot.legend(items, columns=2)
    return _svg(plot.width, height, title, body + legend)
