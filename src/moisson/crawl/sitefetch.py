"""Site files fetched through Scrapy itself, then handed to the opt-out engine.

The engine's :class:`~moisson.optout.SiteFileFetcher` is synchronous; calling a blocking HTTP
client from the Twisted reactor would stall the crawl. So, like Scrapy's RobotsTxtMiddleware,
the site-file gate downloads ``/robots.txt``, ``/.well-known/tdmrep.json``, ``/ai.txt`` and
``/.well-known/ai.txt`` as high-priority requests at engine level, once per origin, following
up to 5 redirects by hand so every hop is kept as evidence (RFC 9309 §2.3.1.2, R-06/R-07). The
results then sit in :class:`ScrapySiteFileFetcher`, which the engine reads without I/O.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from scrapy import Request
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from twisted.internet.defer import DeferredList

from moisson.optout import FetchResult

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Headers

__all__ = (
    "SITE_FILE_META",
    "SITE_FILE_PATHS",
    "ScrapySiteFileFetcher",
    "header_pairs",
    "prefetch_site_files",
)

SITE_FILE_PATHS = ("/robots.txt", "/.well-known/tdmrep.json", "/ai.txt", "/.well-known/ai.txt")
SITE_FILE_META = "moisson_site_file"
_MAX_REDIRECTS = 5
_PRIORITY = 1000


def _key(url: str) -> tuple[str, str, int, str]:
    """Origin and path of a URL, default port made explicit, host lower-cased."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or (443 if scheme == "https" else 80)
    return scheme, (parts.hostname or "").lower().rstrip("."), port, parts.path or "/"


def header_pairs(headers: Headers) -> list[tuple[str, str]]:
    """Scrapy ``Headers`` as ``(name, value)`` pairs, repeated names kept (X-04)."""
    out: list[tuple[str, str]] = []
    # dict.items: the raw stored lists, without Headers' per-access normalisation (hot path).
    for name, values in dict.items(headers):
        key = name.decode("latin-1") if isinstance(name, bytes) else str(name)
        for value in values if isinstance(values, list) else [values]:
            out.append((key, value.decode("latin-1") if isinstance(value, bytes) else str(value)))
    return out


class ScrapySiteFileFetcher:
    """A :class:`~moisson.optout.SiteFileFetcher` answering from files Scrapy downloaded.

    A URL that was not prefetched answers "no response": for robots.txt that fails closed.
    """

    def __init__(self) -> None:
        self.results: dict[tuple[str, str, int, str], FetchResult] = {}

    def store(self, url: str, result: FetchResult) -> None:
        self.results[_key(url)] = result

    def fetch(self, url: str) -> FetchResult:
        found = self.results.get(_key(url))
        if found is None:
            return FetchResult(url, None, error="site file not fetched by the crawler")
        return found


async def _fetch_one(crawler: Crawler, url: str) -> FetchResult:
    from scrapy.exceptions import IgnoreRequest

    hops: list[tuple[str, int, list[tuple[str, str]]]] = []
    current = url
    seen: set[str] = set()
    assert crawler.engine is not None
    for _ in range(_MAX_REDIRECTS + 1):
        request = Request(
            current,
            priority=_PRIORITY,
            callback=NO_CALLBACK,
            dont_filter=True,
            meta={
                SITE_FILE_META: True,
                "dont_redirect": True,
                "handle_httpstatus_all": True,
                "dont_obey_robotstxt": True,
                "allow_offsite": True,  # RFC 9309 §2.3.1.2: redirects may cross authorities
            },
        )
        try:
            response = await crawler.engine.download_async(request)
        except IgnoreRequest as exc:
            return FetchResult(url, None, hops=hops, error=f"ignored: {exc}")
        except Exception as exc:  # network errors: the engine decides (robots: fail closed)
            return FetchResult(url, None, hops=hops, error=f"{type(exc).__name__}: {exc}")
        pairs = header_pairs(response.headers)
        location = response.headers.get(b"Location")
        if response.status in (301, 302, 303, 307, 308) and location:
            hops.append((current, response.status, pairs))
            seen.add(current)
            current = urljoin(current, location.decode("latin-1"))
            if current in seen:
                return FetchResult(url, None, hops=hops, error="redirect loop")
            continue
        return FetchResult(url, response.status, pairs, bytes(response.body), current, hops)
    return FetchResult(url, None, hops=hops, error=f"more than {_MAX_REDIRECTS} redirects")


async def prefetch_site_files(
    crawler: Crawler, fetcher: ScrapySiteFileFetcher, base: str
) -> dict[str, Any]:
    """Download the four site files of origin ``base`` concurrently into ``fetcher``."""
    urls = [f"{base}{path}" for path in SITE_FILE_PATHS]
    # Reactor-agnostic concurrency: Deferreds, not asyncio.gather.
    pending = DeferredList(
        [deferred_from_coro(_fetch_one(crawler, u)) for u in urls], consumeErrors=True
    )
    outcome = await maybe_deferred_to_future(pending)
    results = [
        value if ok else FetchResult(url, None, error=str(value))
        for url, (ok, value) in zip(urls, outcome, strict=True)
    ]
    for url, result in zip(urls, results, strict=True):
        fetcher.store(url, result)
    return {u: r.status for u, r in zip(urls, results, strict=True)}
