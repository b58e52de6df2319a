"""The compliant crawler: a Scrapy add-on (gate middlewares + store pipeline) and ``moisson crawl``.

In any Scrapy project::

    ADDONS = {"moisson.crawl.addon.MoissonAddon": 0}
    MOISSON_WORKSPACE = "/path/to/workspace"   # policy, store and ledger
    MOISSON_DATASET = "web-fr"

Spiders yield :func:`moisson.crawl.items.page_item` for the pages they keep.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from moisson._lazy import lazy_attributes

if TYPE_CHECKING:
    from moisson.crawl.addon import MoissonAddon
    from moisson.crawl.items import PageItem, page_item
    from moisson.crawl.resolver import MappedResolver
    from moisson.crawl.state import CrawlState, Refusal

# Imported on first use: ``moisson --help`` must not pay for importing Scrapy and Twisted.
_LAZY = {
    "MoissonAddon": "moisson.crawl.addon",
    "PageItem": "moisson.crawl.items",
    "page_item": "moisson.crawl.items",
    "MappedResolver": "moisson.crawl.resolver",
    "CrawlState": "moisson.crawl.state",
    "Refusal": "moisson.crawl.state",
}


__getattr__ = lazy_attributes(__name__, _LAZY, globals())


__all__ = ("CrawlState", "MappedResolver", "MoissonAddon", "PageItem", "Refusal", "page_item")
