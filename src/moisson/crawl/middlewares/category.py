"""Site-category exclusion (SCR-07): hosts on the bundled or user lists are never requested."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.utils.httpobj import urlparse_cached

from moisson.crawl.middlewares._common import require_enabled
from moisson.crawl.state import CrawlState

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler

__all__ = ("CategoryExclusionMiddleware",)


class CategoryExclusionMiddleware:
    """Refuses (reason ``category``) any request, site files included, to an excluded host."""

    def __init__(self, state: CrawlState) -> None:
        self.state = state

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CategoryExclusionMiddleware:
        require_enabled(crawler, "MOISSON_CATEGORIES_ENABLED")
        return cls(CrawlState.of(crawler))

    def process_request(self, request: Request) -> None:
        host = urlparse_cached(request).hostname or ""
        category = self.state.categories.match(host)
        if category is not None:
            detail = f"{host}: excluded category '{category}'"
            raise self.state.refuse(request.url, "category", stage="request", detail=detail)
