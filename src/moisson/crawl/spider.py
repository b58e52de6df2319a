"""The seed spider of ``moisson crawl``: follows links within the seeds' hosts only."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor

from moisson.crawl.items import PageItem, page_item

__all__ = ("SeedSpider",)


class SeedSpider(scrapy.Spider):
    """Start from the seeds, yield every page that passes the gate, follow same-host links."""

    name = "moisson"

    def __init__(self, seeds: list[str] | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.start_urls = list(seeds or [])
        hosts = {(urlsplit(u).hostname or "").lower() for u in self.start_urls}
        self.allowed_domains = sorted(h for h in hosts if h)
        # deny_extensions=[]: the type limit, not the link extractor, decides (and records)
        # refusals. Hosts are filtered by name below: LinkExtractor's allow_domains compares
        # host:port, which misses seeds served on a non-default port.
        self.links = LinkExtractor(unique=True, deny_extensions=[])
        self._hosts = frozenset(self.allowed_domains)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[PageItem | scrapy.Request]:
        yield page_item(response)
        if isinstance(response, TextResponse):
            for link in self.links.extract_links(response):
                if (urlsplit(link.url).hostname or "").lower() in self._hosts:
                    yield response.follow(link.url, callback=self.parse)
