"""Response-header gate: X-Robots-Tag, Content-Usage and tdm-reservation, before the body.

Headers are evaluated when they arrive (Scrapy's ``headers_received`` signal); a refusal stops
the download there (``StopDownload``), so the body of a refused page is never read in full,
then ``process_response`` records it. Redirect responses are seen here before Scrapy's
RedirectMiddleware (priority 650 > 600): a refusal on any hop refuses the chain (X-07), and the
headers of every hop travel with the request for the final verdict (brief: "signals of every
redirect hop count").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import StopDownload

from moisson.crawl.middlewares._common import (
    HOPS_META,
    VERDICT_META,
    is_redirect,
    is_site_file,
    require_enabled,
    without_tdmrep,
)
from moisson.crawl.sitefetch import header_pairs
from moisson.crawl.state import CrawlState
from moisson.optout import Verdict

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Headers, Response

__all__ = ("HeaderGateMiddleware",)

_STASH = "_moisson_header_verdict"


def _is_html(headers: Headers) -> bool:
    ctype = (headers.get(b"Content-Type") or b"").decode("latin-1").lower()
    return not ctype or "html" in ctype


class HeaderGateMiddleware:
    """Refuses (reason ``optout``, stage ``headers``) what the response headers refuse."""

    def __init__(self, state: CrawlState) -> None:
        self.state = state

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HeaderGateMiddleware:
        require_enabled(crawler, "MOISSON_HEADERS_ENABLED")
        mw = cls(CrawlState.of(crawler))
        crawler.signals.connect(mw.headers_received, signal=signals.headers_received)
        return mw

    def _evaluate(self, url: str, headers: Headers) -> Verdict:
        self.state.stats.inc_value("moisson/headers/checked")
        return self.state.engine.evaluate_response(
            url, header_pairs(headers), purpose=self.state.purpose
        )

    def _refusing(self, verdict: Verdict, headers: Headers) -> list[str]:
        families = verdict.refusing_families
        # A header reservation of an HTML page may still be lifted by its meta (TDMRep T-09).
        return without_tdmrep(families) if _is_html(headers) else families

    def headers_received(self, headers: Headers, body_length: int, request: Request) -> None:
        """Signal handler: decide on headers alone and stop the body download if refused."""
        if is_site_file(request):
            return
        verdict = self._evaluate(request.url, headers)
        request.meta[_STASH] = (request.url, verdict)
        if self._refusing(verdict, headers):
            self.state.stats.inc_value("moisson/headers/stopped_before_body")
            raise StopDownload(fail=False)

    def process_response(self, request: Request, response: Response) -> Response:
        if is_site_file(request):
            return response
        stash: Any = request.meta.pop(_STASH, None)
        if stash is not None and stash[0] == response.url:
            verdict: Verdict = stash[1]
        else:  # download handlers that do not send headers_received
            verdict = self._evaluate(response.url, response.headers)
        redirect = is_redirect(response.status, response.headers)
        refusing = self._refusing(verdict, response.headers)
        if refusing:
            target = None
            if redirect:
                target = response.urljoin(
                    (response.headers.get(b"Location") or b"").decode("latin-1")
                )
            raise self.state.refuse(
                response.url,
                "optout",
                stage="headers",
                verdict=verdict,
                detail=", ".join(refusing) + (" (on a redirect hop)" if redirect else ""),
                redirect_to=target,
            )
        if redirect:
            hop = {
                "url": response.url,
                "status": response.status,
                "headers": header_pairs(response.headers),
                "verdict": verdict.to_json(),
            }
            request.meta[HOPS_META] = [*request.meta.get(HOPS_META, []), hop]
        else:
            request.meta.setdefault(VERDICT_META, {})["headers"] = verdict.to_json()
        return response
