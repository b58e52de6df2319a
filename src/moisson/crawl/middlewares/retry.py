"""Retries with exponential backoff (brief: politeness and robustness).

Scrapy's RetryMiddleware re-queues at once; a struggling server (5xx, 429, timeouts) should get
room. The delay before retry *n* is ``MOISSON_RETRY_BACKOFF_BASE * 2 ** (n - 1)`` seconds,
capped by ``MOISSON_RETRY_BACKOFF_MAX``; the number of retries is ``policy.crawler.retries``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.task import deferLater

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response

__all__ = ("BackoffRetryMiddleware",)


class BackoffRetryMiddleware(RetryMiddleware):
    """RetryMiddleware that waits before handing back the retry request."""

    base: float = 1.0
    cap: float = 60.0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Any:
        mw = super().from_crawler(crawler)
        mw.base = crawler.settings.getfloat("MOISSON_RETRY_BACKOFF_BASE", 1.0)
        mw.cap = crawler.settings.getfloat("MOISSON_RETRY_BACKOFF_MAX", 60.0)
        return mw

    async def _backoff(self, result: Any) -> Any:
        if isinstance(result, Request) and self.base > 0:
            from twisted.internet import reactor  # the running reactor, installed by Scrapy

            attempt = int(result.meta.get("retry_times", 1))
            delay = min(self.cap, self.base * 2 ** (attempt - 1))
            self.crawler.stats.inc_value("moisson/retry/backoff_ms", int(delay * 1000))
            await maybe_deferred_to_future(deferLater(reactor, delay, lambda: None))
        return result

    async def process_response(self, request: Request, response: Response) -> Any:  # type: ignore[override]
        return await self._backoff(super().process_response(request, response))

    async def process_exception(self, request: Request, exception: Exception) -> Any:  # type: ignore[override]
        return await self._backoff(super().process_exception(request, exception))
