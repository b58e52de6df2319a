"""Size and content-type limits (policy ``crawler.max_response_bytes``, ``content_types``).

Checked on the headers (``Content-Type``, ``Content-Length``) as soon as they arrive, stopping
the download; the body size is checked again after download (chunked responses). Scrapy's
``DOWNLOAD_MAXSIZE`` stays as the hard backstop.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import StopDownload

from moisson.crawl.middlewares._common import is_site_file, require_enabled
from moisson.crawl.state import CrawlState

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Headers, Response

__all__ = ("SizeTypeLimitMiddleware",)

_STASH = "_moisson_limit"


class SizeTypeLimitMiddleware:
    """Refuses responses of a type outside the policy (``type``) or too large (``size``)."""

    def __init__(self, state: CrawlState) -> None:
        self.state = state
        self.max_bytes = state.policy.crawler.max_response_bytes
        self.types = tuple(t.lower() for t in state.policy.crawler.content_types)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SizeTypeLimitMiddleware:
        require_enabled(crawler, "MOISSON_LIMITS_ENABLED")
        mw = cls(CrawlState.of(crawler))
        crawler.signals.connect(mw.headers_received, signal=signals.headers_received)
        return mw

    def _problem(self, headers: Headers, length: int | None) -> tuple[str, str] | None:
        if headers.get(b"Location"):
            return None  # redirect: the target is checked
        ctype = (headers.get(b"Content-Type") or b"").decode("latin-1").split(";")[0].strip()
        if ctype and self.types and ctype.lower() not in self.types:
            return "type", f"content type {ctype} not in {', '.join(self.types)}"
        if length is not None and length > self.max_bytes:
            return "size", f"{length} bytes > max_response_bytes {self.max_bytes}"
        return None

    def headers_received(self, headers: Headers, body_length: int, request: Request) -> None:
        if is_site_file(request):
            return
        problem = self._problem(headers, body_length if body_length >= 0 else None)
        if problem is not None:
            request.meta[_STASH] = problem
            raise StopDownload(fail=False)

    def process_response(self, request: Request, response: Response) -> Response:
        if is_site_file(request):
            return response
        self.state.stats.inc_value("moisson/limits/checked")
        problem = request.meta.pop(_STASH, None)
        if problem is None and 200 <= response.status < 300:
            problem = self._problem(response.headers, len(response.body))
        if problem is not None:
            reason, detail = problem
            raise self.state.refuse(response.url, reason, stage="headers", detail=detail)
        return response
