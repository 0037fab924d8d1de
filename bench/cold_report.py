"""The cold report page with its charts against building the report's figures alone, in one
process (Flask's test client, signed in as the benchmark's QA lead).

Each repetition first empties the process's report cache (reports, rendered sections, charts),
then times the report page and every chart image it shows (each ``<img>`` of the page fetched
as a browser would), then, with the cache emptied again, ``build_period_report`` alone for the
same period: what the page costs beyond its figures (rendering and drawing the charts). The
charts drawn from the built report alone are timed too (information)."""

from __future__ import annotations

import html
import re
import statistics
import time
from dataclasses import dataclass
from typing import Any

from bench import data, report

CHART = re.compile(r'<img[^>]*\ssrc="([^"]+)"')


@dataclass
class Cold:
    page_seconds: list[float]
    figures_seconds: list[float]
    charts: int
    # Drawing the page's charts from a built report (charts.draw_page_charts), alone.
    drawing_seconds: list[float]

    @property
    def drawing(self) -> float:
        return statistics.median(self.drawing_seconds)

    @property
    def page(self) -> float:
        return statistics.median(self.page_seconds)

    @property
    def figures(self) -> float:
        return statistics.median(self.figures_seconds)

    @property
    def ratio(self) -> float:
        return self.page / self.figures


def _clear(app: Any) -> None:
    from qa_audit.reports import cache

    with app.app_context():
        cache.clear()


def measure(url: str, period: report.Period, repetitions: int) -> Cold:
    from qa_audit.reports.charts import draw_page_charts

    app = data.bench_app(url)
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    signed_in = client.post(
        "/sign-in", data={"email": data.QA_LEAD_EMAIL, "password": data.PASSWORD}
    )
    if signed_in.status_code != 302:
        raise RuntimeError(f"sign-in failed ({signed_in.status_code})")
    path = f"/reports?from={period.first}&to={period.last}"

    def page() -> int:
        answer = client.get(path)
        if answer.status_code != 200:
            raise RuntimeError(f"{path} answered {answer.status_code}")
        charts = [
            html.unescape(src)
            for src in CHART.findall(answer.get_data(as_text=True))
            if "/reports/" in src
        ]
        for src in charts:
            image = client.get(src)
            if image.status_code not in (200, 404):  # a domain with no grades has no pie
                raise RuntimeError(f"{src} answered {image.status_code}")
        return len(charts)

    page()  # warm: templates compiled, the fonts of the charts loaded
    pages, figures, drawing, charts = [], [], [], 0
    for _ in range(repetitions):
        _clear(app)
        started = time.perf_counter()
        charts = page()
        pages.append(time.perf_counter() - started)
        _clear(app)
        with app.app_context():
            started = time.perf_counter()
            built = report.build(period)
            figures.append(time.perf_counter() - started)
            started = time.perf_counter()
            draw_page_charts(built)
            drawing.append(time.perf_counter() - started)
    with app.app_context():
        from qa_audit.core.extensions import db

        db.session.remove()
        db.engine.dispose()
    return Cold(pages, figures, charts, drawing)
