"""Paging of long lists, and the parameters of the GOV.UK pagination component."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# Far beyond the last page of any list, and small enough that its offset is a number the
# database takes (a page of 10**20 would be an error, not an empty or clamped page).
MAX_PAGE = 1_000_000


def page_number(raw: str | None) -> int:
    """The page asked for in the query string; 1 when missing or not a positive number."""
    try:
        number = int(raw or "1")
    except ValueError:
        return 1
    return min(max(number, 1), MAX_PAGE)


@dataclass(frozen=True)
class Paging:
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def first_item(self) -> int:
        return self.offset + 1 if self.total else 0

    @property
    def last_item(self) -> int:
        return min(self.offset + self.per_page, self.total)

    @classmethod
    def clamp(cls, page: int, per_page: int, total: int) -> Paging:
        """A page within range: past the last page shows the last page."""
        last = max(1, -(-total // per_page))
        return cls(page=min(max(page, 1), last), per_page=per_page, total=total)

    def govuk_params(self, href: Callable[[int], str], landmark: str) -> dict[str, Any] | None:
        """Parameters for govukPagination (None when everything fits on one page)."""
        if self.pages <= 1:
            return None
        # Not a set of every page number: 4,000 of them for 100,000 audits (make bench).
        near = {1, self.pages, self.page - 1, self.page, self.page + 1}
        shown = sorted(n for n in near if 1 <= n <= self.pages)
        items: list[dict[str, Any]] = []
        previous = 0
        for number in shown:
            if number - previous > 1:
                items.append({"ellipsis": True})
            items.append({"number": number, "href": href(number), "current": number == self.page})
            previous = number
        params: dict[str, Any] = {"items": items, "landmarkLabel": landmark}
        if self.page > 1:
            params["previous"] = {"href": href(self.page - 1)}
        if self.page < self.pages:
            params["next"] = {"href": href(self.page + 1)}
        return params
