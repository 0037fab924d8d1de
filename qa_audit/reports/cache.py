"""Reports and chart images kept for reuse in this process, for as long as the data have not
changed: every entry's key holds the database's data version (qa_audit/core/data_version.py), so a
change to any record makes every older entry unreachable (and the LRU bound drops it).

The key also holds everything else the content depends on: the database, the resolved filters
(the period and the ids and names of the service area, team and tool), what the asker may see
(``ReportAccess``: viewers get no quotes and no per-auditor rota, so entries are never shared
between access levels) and today's date (which open actions are overdue).

Values are shared between requests: callers must not change them (the report page's template
only reads; downloads get a copy)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from qa_audit.agreement import kept as agreement_kept
from qa_audit.auth.models import User
from qa_audit.core import data_version
from qa_audit.core.clock import local_today
from qa_audit.core.extensions import db
from qa_audit.report_filters import ReportAccess, ReportFilters
from qa_audit.reports import charts, queries, services

T = TypeVar("T")
CAPACITY = 64


@dataclass
class Counts:
    hits: int = 0
    misses: int = 0
    uncached: int = 0  # built without the cache (no data version, or uncommitted changes)


class LRUCache:
    """A bounded, thread-safe mapping that forgets the least recently used entry first."""

    def __init__(self, capacity: int = CAPACITY) -> None:
        self.capacity = capacity
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.counts = Counts()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Hashable) -> tuple[bool, Any]:
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                self.counts.hits += 1
                return True, self._entries[key]
            self.counts.misses += 1
            return False, None

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.capacity:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.counts = Counts()


_cache = LRUCache()


def counts() -> Counts:
    """Hits and misses so far (for tests and profiling)."""
    return _cache.counts


def clear() -> None:
    """Forget every entry (tests, whose rolled-back transactions wind the version back), and
    the agreement page's figures, kept the same way."""
    _cache.clear()
    agreement_kept.clear()


def cached(kind: str, key: tuple[Hashable, ...], build: Callable[[], T]) -> T:
    """``build()``'s result for this kind of thing and key, from the cache when no record has
    changed since it was built. A report's or chart's ``key`` holds its ``ReportFilters`` and
    ``ReportAccess`` (and a chart's domain, say). Built afresh, and neither kept nor taken
    from the cache, where the database has no data version or the session's transaction has
    changed records it has not committed."""
    version = data_version.current()
    # A transaction that has changed records sees what may yet be rolled back.
    if version is None or data_version.holds_changes():
        _cache.counts.uncached += 1
        return build()
    # Both dates: the report's "today" is the server's date, the council's may differ by an hour.
    full_key = (
        kind,
        db.engine.url.render_as_string(hide_password=True),
        version,
        local_today(),
        local_today(),
        *key,
    )
    found, value = _cache.get(full_key)
    if found:
        return value
    value = build()
    _cache.put(full_key, value)
    return value


# --- what the report page and its images reuse -------------------------------------------


def period_report(filters: ReportFilters, access: ReportAccess) -> dict[str, Any]:
    """``services.build_period_report(filters, access)``, reused while nothing has changed.
    Shared: do not change it (copy.deepcopy it first)."""
    return cached(
        "report", (filters, access), lambda: services.build_period_report(filters, access)
    )


def filter_options(user: User) -> dict[str, list[tuple[str, str]]]:
    """``services.filter_options(user)``, reused: it depends on the user's roles and service
    area only."""
    return cached(
        "filter-options",
        (frozenset(user.roles), user.service_area_id),
        lambda: services.filter_options(user),
    )


def domain_chart(filters: ReportFilters, access: ReportAccess, key: str) -> bytes | None:
    """One domain's pie chart (SVG) from the report's figures, or None if the period has no
    such domain."""

    def draw() -> bytes | None:
        report = period_report(filters, access)
        domains = report["domains"]
        if key not in domains:
            return None
        # A suppressed period's domains have no figures to draw: the chart says so.
        shown = None if (report.get("suppressed") or {}).get("period") else domains[key]
        return charts.domain_pie(domains[key]["title"], shown, "svg")

    return cached("domain-chart", (filters, access, key), draw)


def overall_trend_chart(filters: ReportFilters, access: ReportAccess) -> bytes:
    """The overall grades month by month (SVG), from the report's direction of travel."""

    def draw() -> bytes:
        report = period_report(filters, access)
        return charts.overall_trend(report["months"], "svg", report["trend"]["tool_changes"])

    return cached("overall-trend-chart", (filters, access), draw)


def domains_trend_chart(filters: ReportFilters, access: ReportAccess) -> bytes:
    """The share Good or better in each domain month by month (SVG), from the report's
    direction of travel; titles for every domain key (the trend may reach an earlier tool)."""

    def draw() -> bytes:
        titles = {key: title for key, title, _ in queries.domain_titles()}
        report = period_report(filters, access)
        changes = report["trend"]["tool_changes"]
        return charts.domains_trend(report["months"], titles, "svg", changes)

    return cached("domains-trend-chart", (filters, access), draw)
