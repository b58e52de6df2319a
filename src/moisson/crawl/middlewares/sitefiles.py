"""Site-file gate: robots.txt, tdmrep.json and ai.txt decide before any page is fetched.

Each origin's files are downloaded once through Scrapy (see :mod:`moisson.crawl.sitefetch`),
re-fetched when older than 90 % of the policy's cache TTL (<= 24 h, RFC 9309 §2.4), and every
request of that origin waits for them. Refusal reasons: robots.txt for our token or any AI
training token (incl. control tokens such as Google-Extended, §2.6), robots.txt unreachable
(5xx: complete disallow, RFC 9309 §2.3.1.4), ``Content-Usage`` / ``Content-Signal`` lines,
Spawning ai.txt, the controller's opt-out list (SCR-08). A TDMRep file reservation is kept for
the page stage, where a header or meta may lift it (TDMRep "most local wins").
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

from moisson.crawl.middlewares._common import (
    VERDICT_META,
    is_site_file,
    require_enabled,
    without_tdmrep,
)
from moisson.crawl.sitefetch import ScrapySiteFileFetcher, prefetch_site_files
from moisson.crawl.state import CrawlState

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler

__all__ = ("SiteFileGateMiddleware",)


class SiteFileGateMiddleware:
    """Refuses (reason ``optout``, stage ``site-files``) what the origin's site files refuse."""

    def __init__(self, crawler: Crawler, state: CrawlState) -> None:
        self.crawler = crawler
        self.state = state
        fetcher = state.engine.fetcher
        assert isinstance(fetcher, ScrapySiteFileFetcher)
        self.fetcher = fetcher
        self.refresh_after = state.engine.cache.ttl_seconds * 0.9
        self._ready: dict[str, float] = {}
        self._pending: dict[str, Deferred[None]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SiteFileGateMiddleware:
        require_enabled(crawler, "MOISSON_SITEFILES_ENABLED")
        return cls(crawler, CrawlState.of(crawler))

    async def _ensure_site_files(self, base: str) -> None:
        fetched = self._ready.get(base)
        if fetched is not None and time.time() - fetched < self.refresh_after:
            return
        pending = self._pending.get(base)
        if pending is not None:
            await maybe_deferred_to_future(pending)
            return
        done: Deferred[None] = Deferred()
        self._pending[base] = done
        try:
            await prefetch_site_files(self.crawler, self.fetcher, base)
            self.state.stats.inc_value("moisson/sitefiles/origins")
            self._ready[base] = time.time()
        finally:
            del self._pending[base]
            done.callback(None)

    async def process_request(self, request: Request) -> None:
        if is_site_file(request) or not request.url.startswith(("http://", "https://")):
            return
        parsed = urlparse_cached(request)
        await self._ensure_site_files(f"{parsed.scheme}://{parsed.netloc}")
        verdict = self.state.engine.evaluate(request.url, purpose=self.state.purpose)
        request.meta.setdefault(VERDICT_META, {})["site"] = verdict.to_json()
        refusing = without_tdmrep(verdict.refusing_families)
        if refusing:
            raise self.state.refuse(
                request.url,
                "optout",
                stage="site-files",
                verdict=verdict,
                detail=", ".join(refusing),
            )
