"""The gate's downloader middlewares, one concern each (Scrapy style: ``from_crawler``,
``NotConfigured`` when disabled, ``IgnoreRequest`` with the reason, one stats counter each).

Order (request side, lowest first): collection window (SCR-12) -> site category (SCR-07) ->
site files (robots.txt, tdmrep.json, ai.txt) -> download. Response side (highest first, so
redirect hops are seen before Scrapy's RedirectMiddleware at 600): response headers and
size/type limits (also at ``headers_received``, before the body) -> access barriers (SCR-04)
-> meta tags and the final combined verdict.
"""

from __future__ import annotations

from moisson.crawl.middlewares.access import AccessBarrierMiddleware
from moisson.crawl.middlewares.category import CategoryExclusionMiddleware
from moisson.crawl.middlewares.headers import HeaderGateMiddleware
from moisson.crawl.middlewares.limits import SizeTypeLimitMiddleware
from moisson.crawl.middlewares.meta import MetaGateMiddleware
from moisson.crawl.middlewares.retry import BackoffRetryMiddleware
from moisson.crawl.middlewares.sitefiles import SiteFileGateMiddleware
from moisson.crawl.middlewares.window import CollectionWindowMiddleware

__all__ = (
    "AccessBarrierMiddleware",
    "BackoffRetryMiddleware",
    "CategoryExclusionMiddleware",
    "CollectionWindowMiddleware",
    "HeaderGateMiddleware",
    "MetaGateMiddleware",
    "SiteFileGateMiddleware",
    "SizeTypeLimitMiddleware",
)
