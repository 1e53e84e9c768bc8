"""A page of results without a total count, for searches: counting every match of a text
search costs more than showing the page (docs/performance.md)."""

from __future__ import annotations


class OpenPage:
    """Like a Django Page, but it only knows whether there is a next page."""

    def __init__(self, queryset, number, size: int = 50):
        try:
            self.number = max(int(number or 1), 1)
        except (TypeError, ValueError):
            self.number = 1
        start = (self.number - 1) * size
        rows = list(queryset[start : start + size + 1])
        self.object_list = rows[:size]
        self._more = len(rows) > size

    def has_next(self) -> bool:
        return self._more

    def has_previous(self) -> bool:
        return self.number > 1

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1
