"""The compliant crawler: a Scrapy add-on (gate middlewares + store pipeline) and ``moisson crawl``.

In any Scrapy project::

    ADDONS = {"moisson.crawl.addon.MoissonAddon": 0}
    MOISSON_WORKSPACE = "/path/to/workspace"   # policy, store and ledger
    MOISSON_DATASET = "web-fr"

Spiders yield :func:`moisson.crawl.items.page_item` for the pages they keep.
"""

from __future__ import annotations

from moisson.crawl.addon import MoissonAddon
from moisson.crawl.items import PageItem, page_item
from moisson.crawl.resolver import MappedResolver
from moisson.crawl.state import CrawlState, Refusal

__all__ = ("CrawlState", "MappedResolver", "MoissonAddon", "PageItem", "Refusal", "page_item")
