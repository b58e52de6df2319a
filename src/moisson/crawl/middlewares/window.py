"""Collection window (SCR-12): no request outside ``policy.collection.period_start/end``."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from moisson.crawl.middlewares._common import is_site_file, require_enabled
from moisson.crawl.state import CrawlState

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler

__all__ = ("CollectionWindowMiddleware",)


class CollectionWindowMiddleware:
    """Refuses every request (reason ``window``) when today is outside the declared period."""

    def __init__(self, state: CrawlState) -> None:
        self.state = state
        self.start: date | None = state.policy.collection.period_start
        self.end: date | None = state.policy.collection.period_end

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CollectionWindowMiddleware:
        require_enabled(crawler, "MOISSON_WINDOW_ENABLED")
        return cls(CrawlState.of(crawler))

    def process_request(self, request: Request) -> None:
        if is_site_file(request):
            return
        today = datetime.now(UTC).date()
        if (self.start and today < self.start) or (self.end and today > self.end):
            detail = f"{today} outside the collection window {self.start} .. {self.end}"
            raise self.state.refuse(request.url, "window", stage="request", detail=detail)
