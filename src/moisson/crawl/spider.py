"""The seed spider of ``moisson crawl``: follows links within the seeds' hosts only."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor

from moisson.crawl.items import PageItem, page_item
from moisson.sources.html import decoded_payload, text_codec

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
            readable = _decodable(response)
            for link in self.links.extract_links(readable):
                if (urlsplit(link.url).hostname or "").lower() in self._hosts:
                    yield readable.follow(link.url, callback=self.parse)


def _decodable(response: TextResponse) -> TextResponse:
    """``response`` with an encoding its links can be read and written in.

    A page may declare a codec that is not a charset (``idna`` and ``undefined`` raise on any
    byte, ``rot13`` or ``base64`` are not text encodings): Scrapy then fails in the link
    extractor and the page's links are lost, though the page itself is kept. Such a page is
    read as the documents are (``moisson.sources.html.decode_payload``): UTF-8 when its bytes
    are, else its ``<meta>`` charset, else windows-1252. ``utf-8-sig`` is read as UTF-8: w3lib
    writes the query of every link in the page's encoding, and this one adds a BOM to each.
    """
    declared = text_codec(response.encoding)
    if declared is not None and declared != "utf-8-sig":
        return response  # the usual case: no second decode of the page
    codec = "utf-8" if declared else decoded_payload(response.body, None)[1]
    return response.replace(encoding=codec)
