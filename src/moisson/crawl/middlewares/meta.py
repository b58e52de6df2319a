"""Meta gate and final verdict: meta robots, TDMRep meta, then every family combined.

After the body is parsed, the page's ``<meta>`` tags are read and the engine evaluates all
families together (site files from cache, response headers, redirect-hop headers, meta), so
TDMRep's own precedence applies (file < header < meta, T-07/T-09) and the stored signal
snapshot is complete (SCR-05, C-11).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from moisson.crawl.metatags import extract_meta_tags
from moisson.crawl.middlewares._common import (
    HOPS_META,
    VERDICT_META,
    is_site_file,
    require_enabled,
)
from moisson.crawl.sitefetch import header_pairs
from moisson.crawl.state import CrawlState

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

__all__ = ("HTML_META", "MetaGateMiddleware")

HTML_META = "moisson_html_meta"


class MetaGateMiddleware:
    """Refuses (reason ``optout``, stage ``page``) what the combined verdict refuses."""

    def __init__(self, state: CrawlState) -> None:
        self.state = state

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> MetaGateMiddleware:
        require_enabled(crawler, "MOISSON_META_ENABLED")
        return cls(CrawlState.of(crawler))

    def process_response(self, request: Request, response: Response) -> Response:
        if is_site_file(request) or not 200 <= response.status < 300:
            return response
        self.state.stats.inc_value("moisson/meta/checked")
        ctype = (response.headers.get(b"Content-Type") or b"").decode("latin-1").lower()
        encoding = getattr(response, "encoding", None) or "utf-8"
        meta = extract_meta_tags(response.body, encoding) if "html" in ctype or not ctype else []
        request.meta[HTML_META] = meta
        hops = request.meta.get(HOPS_META, [])
        verdict = self.state.engine.evaluate(
            response.url,
            headers=header_pairs(response.headers),
            html_meta=meta,
            purpose=self.state.purpose,
            site_files=request.meta.get(VERDICT_META, {}).get("site") is not None,
            redirect_headers=[hop["headers"] for hop in hops],
        )
        request.meta.setdefault(VERDICT_META, {})["final"] = verdict.to_json()
        if verdict.decision == "disallow":
            raise self.state.refuse(
                response.url,
                "optout",
                stage="page",
                verdict=verdict,
                detail=", ".join(verdict.refusing_families),
            )
        return response
